using System.Globalization;
using ExpenseTracker.Web.Features.Households;

namespace ExpenseTracker.Tests.Unit.Households;

public sealed class SplitCalculatorTests
{
    private static IReadOnlyList<SplitPart> Equal(params long[] members) => members.Select(m => new SplitPart(m)).ToList();

    private static Dictionary<long, long> Amounts(SplitResult result)
    {
        Assert.True(result.Succeeded, result.Error);
        return result.Shares.ToDictionary(s => s.MemberId, s => s.AmountMinor);
    }

    [Fact]
    public void TenEurosSplitThreeWaysGivesThePayerTheExtraCent()
    {
        var shares = Amounts(SplitCalculator.Split(1000, SplitMethod.Equal, Equal(1, 2, 3), payerMemberId: 2));

        Assert.Equal(new Dictionary<long, long> { [1] = 333, [2] = 334, [3] = 333 }, shares);
    }

    [Fact]
    public void LeftoverCentsGoToThePayerFirstThenToMembersInJoinOrder()
    {
        // 10.04 among 6: 167 each is 10.02, two cents over: the payer (5) and then the earliest member (1).
        var shares = Amounts(SplitCalculator.Split(1004, SplitMethod.Equal, Equal(6, 5, 4, 3, 2, 1), payerMemberId: 5));

        Assert.Equal(168, shares[5]);
        Assert.Equal(168, shares[1]);
        Assert.All(new long[] { 2, 3, 4, 6 }, m => Assert.Equal(167, shares[m]));
    }

    [Fact]
    public void WhenThePayerIsNotInTheSplitLeftoversStartWithTheEarliestMember()
    {
        var shares = Amounts(SplitCalculator.Split(101, SplitMethod.Equal, Equal(7, 3), payerMemberId: 99));

        Assert.Equal(51, shares[3]);
        Assert.Equal(50, shares[7]);
    }

    [Fact]
    public void YenSplitWholeYenAndStillAddUp()
    {
        var shares = Amounts(SplitCalculator.Split(1000, SplitMethod.Equal, Equal(1, 2, 3), payerMemberId: 1, currency: "JPY"));

        Assert.Equal(new Dictionary<long, long> { [1] = 334, [2] = 333, [3] = 333 }, shares);
    }

    [Fact]
    public void SevenCentsAmongTenPeopleGiveSevenOfThemACentAndLeaveNoEmptyShares()
    {
        var shares = Amounts(SplitCalculator.Split(7, SplitMethod.Equal, Equal(Enumerable.Range(1, 10).Select(i => (long)i).ToArray()), payerMemberId: 10));

        Assert.Equal(7, shares.Count);
        Assert.All(shares.Values, a => Assert.Equal(1, a));
        Assert.Contains(10, shares.Keys);
        Assert.Equal(new long[] { 1, 2, 3, 4, 5, 6, 10 }, shares.Keys.Order());
    }

    [Fact]
    public void TwoSharesPayTwiceWhatOneSharePays()
    {
        var shares = Amounts(SplitCalculator.Split(9000, SplitMethod.Shares, [new SplitPart(1, 2), new SplitPart(2, 1)], payerMemberId: 1));

        Assert.Equal(6000, shares[1]);
        Assert.Equal(3000, shares[2]);
    }

    [Fact]
    public void FractionalSharesAreExact()
    {
        var shares = Amounts(SplitCalculator.Split(1000, SplitMethod.Shares, [new SplitPart(1, 1.5m), new SplitPart(2, 0.5m)], payerMemberId: 2));

        Assert.Equal(750, shares[1]);
        Assert.Equal(250, shares[2]);
    }

    [Fact]
    public void PercentagesThatAddUpTo100SplitTheAmountExactly()
    {
        var shares = Amounts(SplitCalculator.Split(10001, SplitMethod.Percentages,
            [new SplitPart(1, 33.33m), new SplitPart(2, 33.33m), new SplitPart(3, 33.34m)], payerMemberId: 3));

        // 3334.33 rounded down to 3334, plus the one unit left over, which goes to the payer.
        Assert.Equal(10001, shares.Values.Sum());
        Assert.Equal(3335, shares[3]);
        Assert.Equal(3333, shares[1]);
    }

    [Fact]
    public void PercentagesThatDoNotAddUpTo100AreRefusedWithTheirSum()
    {
        var result = SplitCalculator.Split(1000, SplitMethod.Percentages, [new SplitPart(1, 50), new SplitPart(2, 40)], 1);

        Assert.False(result.Succeeded);
        Assert.Equal("The percentages add up to 90%, not 100%.", result.Error);
    }

    [Fact]
    public void ExactAmountsAreKeptAsEntered()
    {
        var shares = Amounts(SplitCalculator.Split(2500, SplitMethod.ExactAmounts, [new SplitPart(1, 1999), new SplitPart(2, 501)], 1));

        Assert.Equal(1999, shares[1]);
        Assert.Equal(501, shares[2]);
    }

    [Fact]
    public void ExactAmountsThatDoNotAddUpSayHowMuchIsMissing()
    {
        var result = SplitCalculator.Split(2500, SplitMethod.ExactAmounts, [new SplitPart(1, 1000), new SplitPart(2, 1000)], 1,
            "EUR", CultureInfo.GetCultureInfo("en-US"));

        Assert.False(result.Succeeded);
        Assert.Equal("The amounts add up to EUR 20.00, but the expense is EUR 25.00: EUR 5.00 still to assign.", result.Error);
    }

    [Fact]
    public void ExactAmountsThatAddUpToTooMuchSaySo()
    {
        var result = SplitCalculator.Split(500, SplitMethod.ExactAmounts, [new SplitPart(1, 300), new SplitPart(2, 300)], 1,
            "JPY", CultureInfo.GetCultureInfo("ja-JP"));

        Assert.False(result.Succeeded);
        Assert.Contains("too much", result.Error);
        Assert.Contains("100", result.Error);
    }

    [Fact]
    public void ASplitWithNobodyOrTheSamePersonTwiceIsRefused()
    {
        Assert.False(SplitCalculator.Split(100, SplitMethod.Equal, [], 1).Succeeded);
        Assert.False(SplitCalculator.Split(100, SplitMethod.Equal, Equal(1, 1), 1).Succeeded);
        Assert.False(SplitCalculator.Split(100, SplitMethod.Shares, [new SplitPart(1, 0)], 1).Succeeded);
        Assert.False(SplitCalculator.Split(0, SplitMethod.Equal, Equal(1), 1).Succeeded);
    }

    [Fact]
    public void RescalingAfterAnAmountChangeKeepsTheProportions()
    {
        var shares = Amounts(SplitCalculator.Rescale(3000, [new ShareAmount(1, 2000), new ShareAmount(2, 1000)], payerMemberId: 1));

        Assert.Equal(2000, shares[1]);
        Assert.Equal(1000, shares[2]);
    }

    [Fact]
    public void AnySplitOfAnyAmountAddsUpExactlyAndNobodyIsAUnitOrMoreOffTheirFairPartBeyondTheOneLeftoverUnit()
    {
        var random = new Random(20261127);
        for (var i = 0; i < 500; i++)
        {
            var amount = random.NextInt64(1, 10_000_000);
            var count = random.Next(1, 15);
            var weights = Enumerable.Range(1, count).Select(m => new SplitPart(m, random.Next(0, 5) + (random.Next(0, 4) * 0.25m))).ToList();
            if (weights.All(w => w.Value == 0))
            {
                weights[0] = weights[0] with { Value = 1 };
            }

            var result = SplitCalculator.Split(amount, SplitMethod.Shares, weights, payerMemberId: random.Next(1, count + 1));

            Assert.True(result.Succeeded, result.Error);
            Assert.Equal(amount, result.Shares.Sum(s => s.AmountMinor));
            var total = weights.Sum(w => w.Value);
            foreach (var share in result.Shares)
            {
                var fair = amount * weights.Single(w => w.MemberId == share.MemberId).Value / total;
                Assert.True(share.AmountMinor - fair > -1 && share.AmountMinor - fair <= 1, $"{share.AmountMinor} vs {fair}");
            }
        }
    }

    [Fact]
    public void TheRemainderRuleIsWrittenDownForTheUi()
    {
        Assert.Contains("first to the person who paid", SplitCalculator.RemainderRule);
    }
}
