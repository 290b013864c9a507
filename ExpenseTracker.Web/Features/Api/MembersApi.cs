using ExpenseTracker.Web.Data;
using ExpenseTracker.Web.Features.Households;

namespace ExpenseTracker.Web.Features.Api;

/// <summary>A member of the household as the API shows it (read only; e-mail addresses stay in the app).</summary>
public sealed record ApiMember(long Id, string Name, MemberRole Role, string Color, DateTime Joined, DateTime? Left, bool IsMe);

/// <summary><c>/api/v1/members</c>: who is in the household, read only.</summary>
public static class MembersApi
{
    public static RouteGroupBuilder MapMembersApi(this RouteGroupBuilder api)
    {
        var members = api.MapGroup("/members").WithTags("Members");

        members.MapGet("/", async (MembershipService service, string? includeFormer, string? page, string? pageSize, CancellationToken ct) =>
                TypedResults.Ok(ApiInput.Page(await ListAsync(service, includeFormer == "true", ct), page, pageSize)))
            .Reads<ResourcePage<ApiMember>>("ListMembers", "The household's members with their roles; former members with includeFormer=true.");

        members.MapGet("/{id:long}", async Task<IResult> (long id, MembershipService service, CancellationToken ct) =>
                (await ListAsync(service, true, ct)).FirstOrDefault(m => m.Id == id) is { } member
                    ? TypedResults.Ok(member)
                    : ApiProblems.NotFound("There is no such member in this household."))
            .Reads<ApiMember>("GetMember", "One member of the household.", byId: true);

        return api;
    }

    private static async Task<IReadOnlyList<ApiMember>> ListAsync(MembershipService service, bool includeFormer, CancellationToken ct) =>
        (await service.ListMembersAsync(includeFormer, ct))
            .Select(m => new ApiMember(m.Id, m.DisplayName, m.Role, m.Color, m.JoinedAt, m.LeftAt, m.IsMe))
            .ToList();
}
