namespace ExpenseTracker.Web.Features.Households;

public sealed record MemberNet(long MemberId, long NetMinor);

public sealed record Transfer(long FromMemberId, long ToMemberId, long AmountMinor);

/// <summary>
/// Turns net balances (positive: is owed; negative: owes; summing to zero) into few transfers: the largest debtor
/// pays the largest creditor as much as both allow, repeatedly. Every step settles at least one person, so n people
/// need at most n − 1 transfers, and everyone's net is exactly preserved. Ties go to the lower member id.
/// </summary>
public static class DebtSimplifier
{
    public static IReadOnlyList<Transfer> Simplify(IReadOnlyList<MemberNet> nets)
    {
        if (nets.Sum(n => n.NetMinor) != 0)
        {
            throw new ArgumentException("Balances must add up to zero.", nameof(nets));
        }

        var creditors = new PriorityQueue<long, (long, long)>();
        var debtors = new PriorityQueue<long, (long, long)>();
        var left = new Dictionary<long, long>();
        foreach (var net in nets.Where(n => n.NetMinor != 0))
        {
            left[net.MemberId] = net.NetMinor;
            if (net.NetMinor > 0)
            {
                creditors.Enqueue(net.MemberId, (-net.NetMinor, net.MemberId));
            }
            else
            {
                debtors.Enqueue(net.MemberId, (net.NetMinor, net.MemberId));
            }
        }

        var transfers = new List<Transfer>();
        while (creditors.Count > 0 && debtors.Count > 0)
        {
            var creditor = creditors.Dequeue();
            var debtor = debtors.Dequeue();
            var amount = Math.Min(left[creditor], -left[debtor]);
            transfers.Add(new Transfer(debtor, creditor, amount));
            left[creditor] -= amount;
            left[debtor] += amount;
            if (left[creditor] > 0)
            {
                creditors.Enqueue(creditor, (-left[creditor], creditor));
            }

            if (left[debtor] < 0)
            {
                debtors.Enqueue(debtor, (left[debtor], debtor));
            }
        }

        return transfers;
    }
}
