using ServiceLedger.Domain.Ledger;

namespace ServiceLedger.Domain.Parties;

/// <summary>The e-commerce platforms a merchant's shop can live on; the names are the wire and storage form.</summary>
public enum ShopPlatform
{
    /// <summary>No platform: <c>default(ShopPlatform)</c>, never valid.</summary>
    None = 0,

    /// <summary>Taobao (淘宝).</summary>
    Taobao,

    /// <summary>Tmall (天猫).</summary>
    Tmall,

    /// <summary>JD (京东).</summary>
    JD,

    /// <summary>Pinduoduo (拼多多).</summary>
    Pinduoduo,

    /// <summary>Douyin (抖音).</summary>
    Douyin,

    /// <summary>Kuaishou (快手).</summary>
    Kuaishou,

    /// <summary>Any other platform or an own web shop.</summary>
    Other,
}

/// <summary>A shop as sent in a form.</summary>
/// <param name="Platform">One of Taobao, Tmall, JD, Pinduoduo, Douyin, Kuaishou, Other (exact case).</param>
/// <param name="ShopId">The platform's id of the shop.</param>
public sealed record ShopForm(string? Platform, string? ShopId);

/// <summary>
/// One shop of a merchant: its platform and the platform's shop id (1 to 64 of <c>[A-Za-z0-9_.-]</c>, kept as given).
/// A shop belongs to at most one merchant; two shops are the same when platform and <see cref="Key"/> are equal, i.e.
/// shop ids are compared ignoring ASCII case, because people retype them.
/// </summary>
public readonly record struct Shop
{
    private Shop(ShopPlatform platform, string shopId)
    {
        Platform = platform;
        ShopId = shopId;
    }

    /// <summary>The platform.</summary>
    public ShopPlatform Platform { get; }

    /// <summary>The platform's shop id, as given.</summary>
    public string ShopId { get; }

    /// <summary>The shop id in lower case: what makes a shop unique on its platform, and a safe Table key.</summary>
    public string Key => ShopId.ToLowerInvariant();

    /// <summary>Checks a shop form; refusals name <c>{field}.platform</c> and <c>{field}.shopId</c>.</summary>
    public static Validated<Shop> Create(ShopForm? form, string field)
    {
        var refusals = new List<Refusal>();
        if (!Enum.TryParse<ShopPlatform>(form?.Platform, ignoreCase: false, out var platform)
            || platform == ShopPlatform.None
            || !Enum.IsDefined(platform)
            || !form!.Platform!.All(char.IsAsciiLetter))
        {
            refusals.Add(new Refusal(
                PartyRule.ShopPlatformUnknown,
                $"{field}.platform",
                $"{LedgerText.Quote(form?.Platform)} is not a platform: expected one of Taobao, Tmall, JD, Pinduoduo, Douyin, Kuaishou, Other."));
        }

        var shopId = form?.ShopId?.Trim();
        if (string.IsNullOrEmpty(shopId) || shopId.Length > PartyLimits.MaxShopIdLength
            || !shopId.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '.' or '-'))
        {
            refusals.Add(new Refusal(
                PartyRule.ShopIdInvalid,
                $"{field}.shopId",
                $"{LedgerText.Quote(form?.ShopId)} is not a shop id: expected 1 to {PartyLimits.MaxShopIdLength} of A-Z a-z 0-9 _ . -"));
        }

        return refusals.Count == 0 ? Validated.Valid(new Shop(platform, shopId!)) : Validated.Refused<Shop>(refusals);
    }

    /// <summary>Equal when the platforms are equal and the shop ids are equal ignoring ASCII case.</summary>
    public bool Equals(Shop other) => Platform == other.Platform && string.Equals(ShopId, other.ShopId, StringComparison.OrdinalIgnoreCase);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Platform, ShopId is null ? 0 : StringComparer.OrdinalIgnoreCase.GetHashCode(ShopId));

    /// <summary><c>{platform}:{shopId}</c>, e.g. <c>Tmall:58203911</c>.</summary>
    public override string ToString() => $"{Platform}:{ShopId}";
}
