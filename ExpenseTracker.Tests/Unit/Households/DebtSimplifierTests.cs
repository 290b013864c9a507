using ExpenseTracker.Web.Features.Households;

namespace ExpenseTracker.Tests.Unit.Households;

public sealed class DebtSimplifierTests
{
    [Fact]
    public void TwoPeopleWhoOweOnePersonEachPayThemDirectly()
    {
        var transfers = DebtSimplifier.Simplify([new MemberNet(1, 2000), new MemberNet(2, -1000), new MemberNet(3, -1000)]);

        Assert.Equal([new Transfer(2, 1, 1000), new Transfer(3, 1, 1000)], transfers);
    }

    [Fact]
    public void ASettledHouseholdNeedsNoTransfers()
    {
        Assert.Empty(DebtSimplifier.Simplify([new MemberNet(1, 0), new MemberNet(2, 0)]));
        Assert.Empty(DebtSimplifier.Simplify([]));
    }

    [Fact]
    public void BalancesThatDoNotAddUpToZeroAreAProgrammingError()
    {
        Assert.Throws<ArgumentException>(() => DebtSimplifier.Simplify([new MemberNet(1, 5)]));
    }

    [Fact]
    public void ForHundredsOfRandomHouseholdsTheTransfersSettleEveryoneExactlyWithAtMostOneFewerTransfersThanPeople()
    {
        var random = new Random(42);
        for (var i = 0; i < 500; i++)
        {
            var count = random.Next(2, 16);
            var nets = Enumerable.Range(1, count - 1).Select(m => new MemberNet(m, random.NextInt64(-500_000, 500_000))).ToList();
            nets.Add(new MemberNet(count, -nets.Sum(n => n.NetMinor)));

            var transfers = DebtSimplifier.Simplify(nets);

            var after = nets.ToDictionary(n => n.MemberId, n => n.NetMinor);
            foreach (var transfer in transfers)
            {
                Assert.True(transfer.AmountMinor > 0);
                Assert.True(nets.Single(n => n.MemberId == transfer.FromMemberId).NetMinor < 0, "Only people who owe pay.");
                Assert.True(nets.Single(n => n.MemberId == transfer.ToMemberId).NetMinor > 0, "Only people who are owed receive.");
                after[transfer.FromMemberId] += transfer.AmountMinor;
                after[transfer.ToMemberId] -= transfer.AmountMinor;
            }

            Assert.All(after.Values, v => Assert.Equal(0, v));
            Assert.True(transfers.Count <= nets.Count(n => n.NetMinor != 0) - 1 || transfers.Count == 0);
            Assert.True(transfers.Count <= count - 1);
        }
    }
}
