using System.Globalization;
using System.Text;
using NodaTime;
using ServiceLedger.Domain.Calendar;
using ServiceLedger.Domain.Contracts;
using ServiceLedger.Domain.Ledger;

namespace ServiceLedger.Domain.Settlement;

using ServiceLedger.Domain.Money;

/// <summary>Assembles a <see cref="Statement"/> from computed lines: canonical order, totals, the split, the canonical form.</summary>
internal static class StatementBuilder
{
    /// <summary>The first line of every canonical form; a change of layout changes the version so old hashes stay explainable.</summary>
    public const string CanonicalHeader = "service-ledger-statement/1";

    public static Statement Build(
        SettlementInput input,
        Terms governing,
        SettlementPeriod billed,
        List<StatementLine> computed,
        CommissionBasis? commission,
        Money depositApplied,
        LocalDate dueOn)
    {
        var currency = governing.Currency;

        // Stable sort: kinds in enum order, lines of one kind in the order they were computed (segments by date, misses in
        // target order, penalties by due date), so the same input always lists the same lines in the same order.
        // A negated zero (a credit cut to nothing by a cap) keeps decimal's sign bit; writing it as plain zero keeps the
        // canonical form free of "-0.00".
        var lines = computed.Select((line, index) => (line, index)).OrderBy(pair => pair.line.Kind).ThenBy(pair => pair.index)
            .Select(pair => pair.line.Amount.IsZero ? pair.line with { Amount = Money.Zero(currency) } : pair.line)
            .ToArray();
        foreach (var line in lines)
        {
            if (line.Amount.Currency != currency || !line.Amount.IsWholeMinorUnits)
            {
                throw new InvalidOperationException($"Line {line.Kind} '{line.How}' must be rounded to whole minor units of {currency}.");
            }
        }

        var total = Money.Sum(lines.Select(line => line.Amount), currency);
        var feeBearing = Money.Sum(lines.Where(StatementLineKinds.IsFeeBearing).Select(line => line.Amount), currency);
        var penalties = Money.Sum(lines.Where(StatementLineKinds.IsPenalty).Select(line => line.Amount), currency);
        var rate = governing.PlatformFeeRate.Fraction;
        var split = feeBearing.Allocate([rate, 1m - rate]);
        var platformFee = split[0];
        var vendorShare = split[1];
        var held = input.Held.OrderBy(item => item.Reference, StringComparer.Ordinal).ThenBy(item => item.Amount.Amount).ToArray();
        var heldTotal = Money.Sum(held.Select(item => item.Amount), currency);
        var creditNotes = input.CreditNotes.OrderBy(note => note.ResolvedOn).ThenBy(note => note.Reference, StringComparer.Ordinal).ThenBy(note => note.Statement).ToArray();

        // Asserted in pairs with the property tests: no minor unit is created or lost anywhere between lines and ledger.
        if (platformFee + vendorShare != feeBearing || feeBearing + penalties - depositApplied != total)
        {
            throw new InvalidOperationException($"Statement totals do not add up: total {total}, fee-bearing {feeBearing}, penalties {penalties}, deposit {depositApplied}.");
        }

        var id = StatementId.For(input.Contract, input.Period, input.Version);
        var text = new StringBuilder(1024)
            .Append(CanonicalHeader).Append('\n')
            .Append("id=").Append(id.Value).Append('\n')
            .Append("contract=").Append(input.Contract.Value).Append('\n')
            .Append("merchant=").Append(input.Merchant.Value).Append('\n')
            .Append("vendor=").Append(input.Vendor.Value).Append('\n')
            .Append("period=").Append(input.Period.ToString()).Append('\n')
            .Append("billed-period=").Append(billed.ToString()).Append('\n')
            .Append("version=").Append(input.Version.ToString(CultureInfo.InvariantCulture)).Append('\n')
            .Append("mode=").Append(governing.Mode.ToString()).Append('\n')
            .Append("currency=").Append(currency.Code).Append('\n')
            .Append("issued-on=").Append(SettlementEngine.Iso(input.IssuedOn)).Append('\n')
            .Append("due-on=").Append(SettlementEngine.Iso(dueOn)).Append('\n')
            .Append("final=").Append(input.IsFinal ? "true" : "false").Append('\n');
        foreach (var line in lines)
        {
            text.Append("line=").Append(line.Kind.ToString())
                .Append('|').Append(line.Amount.FormatAmount())
                .Append('|').Append(line.Reference ?? "-")
                .Append('|').Append(line.Corrects?.ToString() ?? "-")
                .Append('|').Append(line.IssuedStatement?.Value ?? "-")
                .Append('|').Append(line.RecomputedStatement?.Value ?? "-")
                .Append('|').Append(Escape(line.How)).Append('\n');
        }

        if (commission is not null)
        {
            text.Append("commission=").Append(commission.AttributedSales.FormatAmount())
                .Append('|').Append(commission.Inquiries.ToString(CultureInfo.InvariantCulture))
                .Append('|').Append(commission.ConvertedInquiries.ToString(CultureInfo.InvariantCulture))
                .Append('|').Append(commission.Tier.Band)
                .Append('|').Append(commission.Tier.Rate.ToString()).Append('\n');
        }

        foreach (var item in held)
        {
            text.Append("held=").Append(item.Amount.FormatAmount()).Append('|').Append(item.Reference).Append('\n');
        }

        // Memo lines only where there are any, so every statement issued before credit notes were listed keeps its bytes.
        foreach (var note in creditNotes)
        {
            text.Append("credit-note=").Append(note.Credited.FormatAmount()).Append('|').Append(note.Reference)
                .Append('|').Append(note.Statement.Value).Append('|').Append(SettlementEngine.Iso(note.ResolvedOn)).Append('\n');
        }

        text.Append("total=").Append(total.FormatAmount()).Append('\n')
            .Append("fee-bearing-total=").Append(feeBearing.FormatAmount()).Append('\n')
            .Append("platform-fee-rate=").Append(governing.PlatformFeeRate.ToString()).Append('\n')
            .Append("platform-fee=").Append(platformFee.FormatAmount()).Append('\n')
            .Append("vendor-share=").Append(vendorShare.FormatAmount()).Append('\n')
            .Append("late-penalties=").Append(penalties.FormatAmount()).Append('\n')
            .Append("deposit-applied=").Append(depositApplied.FormatAmount()).Append('\n')
            .Append("held-total=").Append(heldTotal.FormatAmount()).Append('\n');
        var canonical = text.ToString();

        return new Statement
        {
            Id = id,
            Contract = input.Contract,
            Merchant = input.Merchant,
            Vendor = input.Vendor,
            Period = input.Period,
            BilledPeriod = billed,
            Version = input.Version,
            Mode = governing.Mode,
            Currency = currency,
            IssuedOn = input.IssuedOn,
            DueOn = dueOn,
            IsFinal = input.IsFinal,
            Lines = lines,
            Total = total,
            FeeBearingTotal = feeBearing,
            PlatformFee = platformFee,
            VendorShare = vendorShare,
            LatePenalties = penalties,
            DepositApplied = depositApplied,
            Held = held,
            HeldTotal = heldTotal,
            CreditNotes = creditNotes,
            Commission = commission,
            CanonicalText = canonical,
            ContentHash = EntryHash.Of(Encoding.UTF8.GetBytes(canonical)),
        };
    }

    // Backslash first, so an escaped newline can never be confused with a literal backslash-n in the text.
    private static string Escape(string text) =>
        text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal).Replace("\r", "\\r", StringComparison.Ordinal);
}
