using System.Net;
using ExpenseTracker.Tests.Integration.Identity;
using ExpenseTracker.Web.Data;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ExpenseTracker.Tests.Integration.Cluster;

/// <summary>On PostgreSQL the Data Protection key ring lives in the database, so every instance reads what another protected.</summary>
public sealed class SharedKeyRingTests
{
    [SkippableFact]
    public async Task WhatOneInstanceProtectsTheOtherUnprotectsAndTheKeysAreInTheDatabase()
    {
        await using var database = await SharedPostgres.CreateAsync();
        var a = database.Instance();
        var b = database.Instance();

        var sealedOnA = a.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector("cluster-test").Protect("a secret for b");
        var opened = b.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector("cluster-test").Unprotect(sealedOnA);

        Assert.Equal("a secret for b", opened);
        await using var scope = b.Services.CreateAsyncScope();
        var keys = await scope.ServiceProvider.GetRequiredService<AppDbContext>().DataProtectionKeys.CountAsync();
        Assert.Equal(1, keys);
        Assert.False(Directory.Exists(Path.Combine(a.DataDirectory, "keys")) && Directory.EnumerateFiles(Path.Combine(a.DataDirectory, "keys")).Any());
    }

    [SkippableFact]
    public async Task ASignInOnOneInstanceIsHonouredByTheOther()
    {
        await using var database = await SharedPostgres.CreateAsync();
        var a = database.Instance();
        var b = database.Instance();
        await a.CreateUserWithHouseholdAsync("ana@example.com");
        var onA = new AccountForms(a);
        using var onB = b.CreateClient(new() { AllowAutoRedirect = false });
        using (var anonymous = await onB.GetAsync("/expenses"))
        {
            Assert.Equal(HttpStatusCode.Found, anonymous.StatusCode);
        }

        using var signIn = await onA.SignInAsync("ana@example.com");
        Assert.Equal(HttpStatusCode.Found, signIn.StatusCode);
        var cookie = signIn.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith(".AspNetCore.Identity.Application=", StringComparison.Ordinal)).Split(';')[0];
        using var request = new HttpRequestMessage(HttpMethod.Get, "/expenses");
        request.Headers.Add("Cookie", cookie);
        using var response = await onB.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }
}
