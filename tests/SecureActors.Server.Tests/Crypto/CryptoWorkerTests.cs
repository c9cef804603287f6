using SecureActors.Actors.Actor;
using SecureActors.Actors.Routing;
using SecureActors.Protocol;
using SecureActors.Protocol.Handshake;
using SecureActors.Protocol.Identity;
using SecureActors.Server.Crypto;
using SecureActors.Server.Tests.Support;
using Xunit.Abstractions;

namespace SecureActors.Server.Tests.Crypto;

public sealed class CryptoWorkerTests(ITestOutputHelper output) : Actors.TestKit.TestKit(
    """
    actors.actor.deployment."/crypto-pool" { router = round-robin-pool, nr-of-instances = 2 }
    """,
    output)
{
    private readonly List<ClientHandshake> _machines = [];

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        _machines.ForEach(machine => machine.Dispose());
    }

    /// <summary>A real operation: the key-share generation a fresh client handshake asks for (its machine must stay alive).</summary>
    private CryptoOperation NewOperation()
    {
        var client = new ClientHandshake(ProtocolOptions.Default, new PinnedServerTrust("SHA256:test"));
        _machines.Add(client);
        return client.Start().Operation!;
    }

    [Fact]
    public async Task Worker_ExecuteRequest_RepliesWithTheSameCorrelationId()
    {
        var worker = Sys.ActorOf(CryptoWorker.Props(TestServers.Identity, null, 0));

        worker.Tell(new CryptoProtocol.Execute(42, NewOperation()));

        var executed = await ExpectMsgAsync<CryptoProtocol.Executed>();
        Assert.Equal(42, executed.CorrelationId);
        Assert.True(executed.Result.Succeeded);
    }

    [Fact]
    public async Task Pool_WorkerThrows_OnlyThatRequestIsLostAndTheWorkerIsRestarted()
    {
        // Each worker instance fails on its 2nd request; round-robin over 2 workers sends 1,3 to one and 2,4 to the other.
        var pool = Sys.ActorOf(CryptoWorker.Props(TestServers.Identity, null, faultEvery: 2).WithRouter(FromConfig.Instance), "crypto-pool");
        var before = await pool.Ask<Routees>(GetRoutees.Instance, TimeSpan.FromSeconds(5));

        for (var id = 1; id <= 4; id++)
        {
            pool.Tell(new CryptoProtocol.Execute(id, NewOperation()));
        }

        var answered = new HashSet<long>
        {
            (await ExpectMsgAsync<CryptoProtocol.Executed>()).CorrelationId,
            (await ExpectMsgAsync<CryptoProtocol.Executed>()).CorrelationId,
        };
        await ExpectNoMsgAsync(TimeSpan.FromMilliseconds(200));
        Assert.Equal([1L, 2L], answered.Order());

        // Restarted (fresh instances, same references): both serve again.
        pool.Tell(new CryptoProtocol.Execute(5, NewOperation()));
        pool.Tell(new CryptoProtocol.Execute(6, NewOperation()));
        var after = new HashSet<long>
        {
            (await ExpectMsgAsync<CryptoProtocol.Executed>()).CorrelationId,
            (await ExpectMsgAsync<CryptoProtocol.Executed>()).CorrelationId,
        };
        Assert.Equal([5L, 6L], after.Order());
        var routees = await pool.Ask<Routees>(GetRoutees.Instance, TimeSpan.FromSeconds(5));
        Assert.Equal(before.Members, routees.Members);
    }
}
