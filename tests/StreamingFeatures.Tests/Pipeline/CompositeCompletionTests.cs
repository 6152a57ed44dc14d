using StreamingFeatures.Checkpoints;
using StreamingFeatures.Pipeline;

namespace StreamingFeatures.Tests.Pipeline;

[TestClass]
public sealed class CompositeCompletionTests
{
    [TestMethod]
    public void Complete_SeveralListeners_TellsEachInOrder()
    {
        var heard = new List<string>();
        var completion = new CompositeCompletion(new Listener("first", heard), new Listener("second", heard));

        completion.Complete([]);

        CollectionAssert.AreEqual(new[] { "first", "second" }, heard);
    }

    [TestMethod]
    public void Of_NullsAndOneListener_IsThatListener()
    {
        var only = new Listener("only", []);

        Assert.IsNull(CompositeCompletion.Of(null, null));
        Assert.AreSame(only, CompositeCompletion.Of(null, only));
        Assert.IsInstanceOfType<CompositeCompletion>(CompositeCompletion.Of(only, new Listener("other", [])));
    }

    private sealed class Listener(string name, List<string> heard) : IRowCompletion
    {
        public void Complete(IReadOnlyList<SourceRange> ranges) => heard.Add(name);
    }
}
