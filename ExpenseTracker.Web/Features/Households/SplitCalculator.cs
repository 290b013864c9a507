using System.Globalization;
using System.Numerics;
using ExpenseTracker.Web.Infrastructure;

namespace ExpenseTracker.Web.Features.Households;

public enum SplitMethod
{
    Equal,
    /// <summary>By weights: 2 shares pay twice what 1 share pays.</summary>
    Shares,
    Percentages,
    /// <summary>Exact amounts in minor units; they must add up to the amount.</summary>
    ExactAmounts,
}

/// <summary>One participant of a split. <paramref name="Value"/> is ignored for Equal, a weight for Shares,
/// a percentage for Percentages and minor units for ExactAmounts.</summary>
public sealed record SplitPart(long MemberId, decimal Value = 1);

public sealed record ShareAmount(long MemberId, long AmountMinor);

public sealed record SplitResult(IReadOnlyList<ShareAmount> Shares, string? Error)
{
    public bool Succeeded => Error is null;

    internal static SplitResult Fail(string error) => new([], error);
}

/// <summary>
/// Splits an amount in minor units among members. Shares always add up to the amount exactly; each member first
/// gets the rounded-down part, and the minor units left over go one at a time by <see cref="RemainderRule"/>.
/// Pure: no database, no clock. Zero-decimal currencies need nothing special (minor units are whole yen).
/// </summary>
public static class SplitCalculator
{
    public const string RemainderRule =
        "When an amount does not divide evenly, the smallest units left over (a cent or a yen each) go one at a time: " +
        "first to the person who paid, then to the others in the order they joined the household.";

    public static SplitResult Split(
        long amountMinor, SplitMethod method, IReadOnlyList<SplitPart> parts, long? payerMemberId,
        string currency = "EUR", CultureInfo? culture = null)
    {
        culture ??= CultureInfo.InvariantCulture;
        if (amountMinor <= 0)
        {
            return SplitResult.Fail("The amount must be more than zero.");
        }

        if (parts.Count == 0)
        {
            return SplitResult.Fail("Choose at least one person to split with.");
        }

        if (parts.Select(p => p.MemberId).Distinct().Count() != parts.Count)
        {
            return SplitResult.Fail("Each person can appear only once in a split.");
        }

        if (parts.Any(p => p.Value < 0))
        {
            return SplitResult.Fail("Shares cannot be negative.");
        }

        switch (method)
        {
            case SplitMethod.Equal:
                return ByWeights(amountMinor, parts.Select(p => (p.MemberId, 1m)).ToList(), payerMemberId);
            case SplitMethod.Shares:
                if (parts.All(p => p.Value == 0))
                {
                    return SplitResult.Fail("Give at least one person a share.");
                }

                return ByWeights(amountMinor, parts.Select(p => (p.MemberId, p.Value)).ToList(), payerMemberId);
            case SplitMethod.Percentages:
                var percent = parts.Sum(p => p.Value);
                if (percent != 100m)
                {
                    return SplitResult.Fail(string.Format(culture,
                        "The percentages add up to {0}%, not 100%.", percent.ToString("0.##", culture)));
                }

                return ByWeights(amountMinor, parts.Select(p => (p.MemberId, p.Value)).ToList(), payerMemberId);
            case SplitMethod.ExactAmounts:
                if (parts.Any(p => p.Value != decimal.Truncate(p.Value)))
                {
                    return SplitResult.Fail("Exact amounts are whole minor units.");
                }

                var sum = parts.Sum(p => (long)p.Value);
                if (sum != amountMinor)
                {
                    var difference = amountMinor - sum;
                    return SplitResult.Fail(string.Format(culture,
                        "The amounts add up to {0}, but the expense is {1}: {2} {3}.",
                        Money.Format(sum, currency, culture), Money.Format(amountMinor, currency, culture),
                        Money.Format(Math.Abs(difference), currency, culture), difference > 0 ? "still to assign" : "too much"));
                }

                return new SplitResult(
                    parts.Where(p => p.Value > 0).OrderBy(p => p.MemberId).Select(p => new ShareAmount(p.MemberId, (long)p.Value)).ToList(),
                    null);
            default:
                return SplitResult.Fail("Choose how to split.");
        }
    }

    /// <summary>Spreads a new amount over the members in proportion to their old shares (e.g. after the amount was edited).</summary>
    public static SplitResult Rescale(long newAmountMinor, IReadOnlyList<ShareAmount> oldShares, long? payerMemberId) =>
        oldShares.Count == 0
            ? SplitResult.Fail("Nothing to rescale.")
            : Split(newAmountMinor, SplitMethod.Shares, oldShares.Select(s => new SplitPart(s.MemberId, s.AmountMinor)).ToList(), payerMemberId);

    /// <summary>Floor of amount × weight / total for each, in exact integer arithmetic; leftovers by the remainder rule.</summary>
    private static SplitResult ByWeights(long amountMinor, IReadOnlyList<(long MemberId, decimal Weight)> weights, long? payerMemberId)
    {
        // Decimal weights (1.5 shares, 33.33 %) become integers on a common scale, so no rounding happens anywhere.
        var scale = weights.Max(w => w.Weight.Scale);
        var factor = BigInteger.Pow(10, scale);
        var integers = weights.Select(w => ToScaledInteger(w.Weight, factor)).ToList();
        var total = integers.Aggregate(BigInteger.Zero, (a, b) => a + b);

        var amounts = new long[weights.Count];
        long assigned = 0;
        for (var i = 0; i < weights.Count; i++)
        {
            amounts[i] = (long)(amountMinor * integers[i] / total);
            assigned += amounts[i];
        }

        var leftover = amountMinor - assigned;
        // Fewer leftover units than participants with a weight: one each, payer first, then by member id (join order).
        var order = Enumerable.Range(0, weights.Count)
            .Where(i => integers[i] > 0)
            .OrderBy(i => weights[i].MemberId == payerMemberId ? 0 : 1)
            .ThenBy(i => weights[i].MemberId)
            .ToList();
        for (var k = 0; leftover > 0; k = (k + 1) % order.Count)
        {
            amounts[order[k]]++;
            leftover--;
        }

        var shares = Enumerable.Range(0, weights.Count)
            .Where(i => amounts[i] > 0)
            .Select(i => new ShareAmount(weights[i].MemberId, amounts[i]))
            .OrderBy(s => s.MemberId)
            .ToList();
        return new SplitResult(shares, null);
    }

    private static BigInteger ToScaledInteger(decimal value, BigInteger factor)
    {
        // A decimal is a 96-bit integer mantissa over 10^ownScale.
        var bits = decimal.GetBits(value);
        var ownScale = (bits[3] >> 16) & 0xFF;
        var mantissa = ((BigInteger)(uint)bits[2] << 64) | ((BigInteger)(uint)bits[1] << 32) | (uint)bits[0];
        return mantissa * factor / BigInteger.Pow(10, ownScale);
    }
}
