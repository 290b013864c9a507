using System.ComponentModel;
using System.Reflection;
using ExpenseTracker.Web.Infrastructure;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace ExpenseTracker.Tests.Infrastructure;

/// <summary>
/// A test run once per database provider: the method's first parameter is a <see cref="DatabaseProvider"/>, given
/// <see cref="DatabaseProvider.Sqlite"/> and <see cref="DatabaseProvider.Postgres"/> (shown in the test's name), e.g.
/// <code>
/// [ProviderTheory]
/// public async Task X(DatabaseProvider provider) { await using var app = new TestApp(provider); ... }
/// </code>
/// Rows of <c>[InlineData]</c>/<c>[MemberData]</c> on the method follow the provider (each row runs on both). The
/// PostgreSQL case skips with a reason when <c>ET_POSTGRES</c> is unset and fails when <c>ET_REQUIRE_POSTGRES=1</c>
/// (see <see cref="PostgresServer"/>); like <c>[SkippableFact]</c>, <c>Skip.If</c> works inside.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
[XunitTestCaseDiscoverer("ExpenseTracker.Tests.Infrastructure.ProviderTheoryDiscoverer", "ExpenseTracker.Tests")]
public sealed class ProviderTheoryAttribute : FactAttribute;

public sealed class ProviderTheoryDiscoverer(IMessageSink diagnosticMessageSink) : IXunitTestCaseDiscoverer
{
    private static readonly DatabaseProvider[] Providers = [DatabaseProvider.Sqlite, DatabaseProvider.Postgres];

    public IEnumerable<IXunitTestCase> Discover(ITestFrameworkDiscoveryOptions discoveryOptions, ITestMethod testMethod, IAttributeInfo factAttribute)
    {
        var method = testMethod.Method.ToRuntimeMethod();
        var parameters = method.GetParameters();
        if (parameters.Length == 0 || parameters[0].ParameterType != typeof(DatabaseProvider))
        {
            throw new InvalidOperationException($"[ProviderTheory] {method.DeclaringType?.Name}.{method.Name} must take a DatabaseProvider as its first parameter.");
        }

        var rows = method.GetCustomAttributes<DataAttribute>().SelectMany(data => data.GetData(method)).ToList();
        if (rows.Count == 0)
        {
            rows.Add([]);
        }

        foreach (var provider in Providers)
        {
            foreach (var row in rows)
            {
                yield return new ProviderTestCase(diagnosticMessageSink, discoveryOptions.MethodDisplayOrDefault(), discoveryOptions.MethodDisplayOptionsOrDefault(),
                    testMethod, [provider, .. row]);
            }
        }
    }
}

/// <summary>A skippable test case whose PostgreSQL run is skipped or failed up front when no server is configured.</summary>
public sealed class ProviderTestCase : SkippableFactTestCase
{
    [EditorBrowsable(EditorBrowsableState.Never)]
    [Obsolete("Called by the de-serializer", true)]
    public ProviderTestCase()
    {
    }

    public ProviderTestCase(IMessageSink diagnosticMessageSink, TestMethodDisplay display, TestMethodDisplayOptions displayOptions, ITestMethod testMethod, object[] arguments)
        : base([typeof(Xunit.SkipException).FullName!], diagnosticMessageSink, display, displayOptions, testMethod, arguments)
    {
    }

    public override Task<RunSummary> RunAsync(IMessageSink diagnosticMessageSink, IMessageBus messageBus, object[] constructorArguments, ExceptionAggregator aggregator, CancellationTokenSource cancellationTokenSource)
    {
        if (TestMethodArguments is [DatabaseProvider.Postgres, ..] && PostgresServer.SkipReason is { } reason)
        {
            if (PostgresServer.Required)
            {
                aggregator.Add(new InvalidOperationException($"{PostgresServer.RequireVariable}=1 but the PostgreSQL tests cannot run: {reason}"));
            }
            else
            {
                SkipReason = reason;
            }
        }

        return base.RunAsync(diagnosticMessageSink, messageBus, constructorArguments, aggregator, cancellationTokenSource);
    }
}
