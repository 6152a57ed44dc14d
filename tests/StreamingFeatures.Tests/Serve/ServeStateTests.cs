using StreamingFeatures.Cli.Serve;

namespace StreamingFeatures.Tests.Serve;

[TestClass]
public sealed class ServeStateTests
{
    [TestMethod]
    public void Unanswered_RequestCutOffAfterTheStopBegan_CountedThoughItLeftTheFlight()
    {
        var state = new ServeState();
        ServeState.InFlight answered = state.Begin();
        ServeState.InFlight cut = state.Begin();
        ServeState.InFlight running = state.Begin();

        state.Stopping();
        answered.End(aborted: false);
        cut.End(aborted: true);

        Assert.AreEqual(1, state.RequestsInFlight);
        Assert.AreEqual(1, state.RequestsCut);
        Assert.AreEqual(2, state.Unanswered, "one still running, one cut off at the drain deadline");
        running.End(aborted: false);
        Assert.AreEqual(1, state.Unanswered);
    }

    [TestMethod]
    public void Unanswered_ClientGoneBeforeAnyStop_NotCounted()
    {
        var state = new ServeState();

        state.Begin().End(aborted: true);

        Assert.AreEqual(0, state.Unanswered, "a client that went away while serving is not the drain's failure");
    }
}
