using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using ServiceLedger.Domain.Calendar;
using ServiceLedger.Domain.Settlement;
using static ServiceLedger.Domain.Tests.Settlement.SettlementTestData;

namespace ServiceLedger.Domain.Tests.Settlement;

using ServiceLedger.Domain.Money;

/// <summary>
/// A statement stored before its post is posted from the stored figures (docs/settlement-runs.md): the entry rebuilt from
/// what the row keeps must be the engine's entry, byte for byte, or a redelivery would be refused by the ledger.
/// </summary>
[Properties(Arbitrary = [typeof(SettlementArbitraries)], MaxTest = 300)]
public sealed class StatementPostingTest
{
    [Property]
    public Property The_entry_rebuilt_from_the_stored_figures_is_the_engines_entry_with_penalties_deposits_and_corrections()
    {
        var gen =
            from input in SettlementArbitraries.InputGen()
            from corrected in SettlementArbitraries.FiguresGen()
            from next in SettlementArbitraries.InputGen()
            select (input, corrected, next);
        return Prop.ForAll(gen.ToArbitrary(), sample =>
        {
            var issued = Settle(sample.input);
            var recomputed = Settle(sample.input with { Figures = sample.corrected, Version = 2 });
            var carrying = Settle(sample.next with { Corrections = SettlementEngine.Correct(issued, recomputed).Value });
            return new[] { issued, carrying }.All(statement =>
            {
                var engine = StatementLedgerEntry.For(statement);
                var rebuilt = StatementLedgerEntry.For(Stored(statement));
                return engine.IsValid
                    ? rebuilt.IsValid && rebuilt.Value.RequestHash == engine.Value.RequestHash && rebuilt.Value.IdempotencyKey == engine.Value.IdempotencyKey
                    : !rebuilt.IsValid && rebuilt.Refusals.Single().Code == SettlementRule.NothingToPost;
            });
        });
    }

    [Property]
    public bool Penalties_and_deposit_found_from_the_lines_are_the_engines(SettlementInput input)
    {
        var statement = Settle(input);
        var stored = Stored(statement);

        return stored.LatePenalties == statement.LatePenalties && stored.DepositApplied == statement.DepositApplied && stored.Id == statement.Id;
    }

    [Fact]
    public void Stored_figures_that_do_not_add_up_are_refused_loudly_rather_than_posted()
    {
        var statement = Settle(Input(Monthly, SettlementPeriod.Month(2027, 3), Figures(1000, 400, 100_000m)));
        var oneMinorUnit = new Money(0.01m, statement.Currency);

        var exception = Assert.Throws<InvalidOperationException>(() => StatementPosting.FromIssued(
            statement.Contract, statement.Merchant, statement.Vendor, statement.Period, statement.Version, statement.IssuedOn,
            statement.Lines, statement.Total, statement.VendorShare + oneMinorUnit, statement.PlatformFee));
        Assert.Contains(statement.Id.Value, exception.Message, StringComparison.Ordinal);
    }

    // What a statement row keeps of a statement: ids, issue day, lines and the three totals.
    private static StatementPosting Stored(Statement statement) => StatementPosting.FromIssued(
        statement.Contract, statement.Merchant, statement.Vendor, statement.Period, statement.Version, statement.IssuedOn,
        statement.Lines, statement.Total, statement.VendorShare, statement.PlatformFee);
}
