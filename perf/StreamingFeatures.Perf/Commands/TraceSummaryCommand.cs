using System.CommandLine;
using StreamingFeatures.Perf.Pipeline;

namespace StreamingFeatures.Perf.Commands;

/// <summary><c>trace-summary FILE.nettrace [TOP] [FOCUS]</c>: thread time by method of a trace.</summary>
internal static class TraceSummaryCommand
{
    public static Command Create()
    {
        var file = new Argument<string>("file") { Description = "A .nettrace written by `pipeline --trace DIR` or by DOTNET_EnableEventPipe." };
        var top = new Argument<int>("top") { Description = "Methods listed per view.", DefaultValueFactory = _ => 25 };
        var focus = new Argument<string?>("focus") { Description = "List the stacks through frames containing this text.", Arity = ArgumentArity.ZeroOrOne };
        var command = new Command("trace-summary", "Thread time by method of a .nettrace; FOCUS lists the stacks through a frame.") { file, top, focus };
        command.SetAction(parse => TraceSummary.Run(parse.GetRequiredValue(file), parse.GetValue(top), parse.GetValue(focus)));
        return command;
    }
}
