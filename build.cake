// Build script: `dotnet tool restore && dotnet cake --target=Test`. Later issues add Perf, Demo and Package.
var target = Argument("target", "Default");
var configuration = Argument("configuration", "Debug");
const string Solution = "./StreamingFeatures.sln";

Task("Build")
    .Does(() => DotNetBuild(Solution, new DotNetBuildSettings { Configuration = configuration }));

// The README's test command: every test project, the integration tests on the real emulators.
Task("Test")
    .Does(() =>
    {
        var exit = StartProcess("dotnet", new ProcessSettings { Arguments = "test" });
        if (exit != 0)
        {
            throw new CakeException($"dotnet test failed with exit code {exit}.");
        }
    });

Task("Default")
    .IsDependentOn("Build")
    .IsDependentOn("Test");

RunTarget(target);
