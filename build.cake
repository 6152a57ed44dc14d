// Build script: `dotnet tool restore && dotnet cake --target=Test`; `--target=Package` packs the CLI as a .NET tool and builds its image.
var target = Argument("target", "Default");
var configuration = Argument("configuration", "Debug");
const string Solution = "./StreamingFeatures.sln";
const string CliProject = "./src/StreamingFeatures.Cli/StreamingFeatures.Cli.csproj";
const string ArtifactsDirectory = "./artifacts";
const string Dockerfile = "./infra/docker/Dockerfile";

// The tool package's version and the image tag: --package-version=1.2.3, else the VersionPrefix of Directory.Build.props.
var packageVersion = Argument("package-version", XmlPeek("./Directory.Build.props", "/Project/PropertyGroup/VersionPrefix"));

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

// The CLI as a .NET tool package, artifacts/StreamingFeatures.Cli.<version>.nupkg (install it as the README shows:
// dotnet tool install --global --add-source artifacts StreamingFeatures.Cli), then, where docker is installed, the
// image streamingfeatures:<version>, built from the sources by infra/docker/Dockerfile.
Task("Package")
    .Does(() =>
    {
        // One package in artifacts/: an older version left there would be the one a later install picks up.
        DeleteFiles($"{ArtifactsDirectory}/StreamingFeatures.Cli.*.nupkg");
        DotNetPack(CliProject, new DotNetPackSettings
        {
            Configuration = "Release",
            OutputDirectory = ArtifactsDirectory,
            MSBuildSettings = new DotNetMSBuildSettings().WithProperty("Version", packageVersion),
        });
        Information($"Packed the tool StreamingFeatures.Cli {packageVersion} into {MakeAbsolute(Directory(ArtifactsDirectory))}.");

        FilePath docker = Context.Tools.Resolve("docker") ?? Context.Tools.Resolve("docker.exe");
        if (docker is null)
        {
            Warning($"Skipped the image streamingfeatures:{packageVersion}: no docker executable on PATH. Install Docker (or run this where it is) to build it from {Dockerfile}.");
            return;
        }

        // A docker client without a reachable daemon (no socket, no permission) cannot build either: say so and skip.
        if (StartProcess(docker, new ProcessSettings { Arguments = "info", RedirectStandardOutput = true, RedirectStandardError = true, Silent = true }) != 0)
        {
            Warning($"Skipped the image streamingfeatures:{packageVersion}: {docker} is on PATH but `docker info` fails, so no Docker daemon is reachable. Start Docker (or point DOCKER_HOST at one) to build it from {Dockerfile}.");
            return;
        }

        int exit = StartProcess(docker, new ProcessSettings
        {
            Arguments = new ProcessArgumentBuilder().Append("build").Append("--file").AppendQuoted(Dockerfile).Append("--tag").Append($"streamingfeatures:{packageVersion}").Append("."),
        });
        if (exit != 0)
        {
            throw new CakeException($"docker build failed with exit code {exit}.");
        }

        Information($"Built the image streamingfeatures:{packageVersion}.");
    });

// The load-test regression gate: a short steady profile on the local emulators, compared with the committed
// baseline; fails when achieved throughput drops or p99 latency rises beyond the profile's gate. Refresh the baseline
// on this machine with --perf-update-baseline=true (then commit perf/baselines/perf-gate.json).
Task("Perf")
    .Does(() =>
    {
        const string Profile = "./perf/profiles/perf-gate.yaml";
        const string Baseline = "./perf/baselines/perf-gate.json";
        const string Output = "./artifacts/perf/perf-gate";
        DotNetBuild(CliProject, new DotNetBuildSettings { Configuration = "Release" });
        bool update = Argument("perf-update-baseline", false);
        var arguments = new ProcessArgumentBuilder()
            .AppendQuoted("./src/StreamingFeatures.Cli/bin/Release/net10.0/StreamingFeatures.Cli.dll")
            .Append("loadtest").Append("--profile").AppendQuoted(Profile).Append("--output").AppendQuoted(Output);
        if (!update)
        {
            arguments.Append("--baseline").AppendQuoted(Baseline);
        }

        int exit = StartProcess("dotnet", new ProcessSettings { Arguments = arguments });
        if (exit != 0)
        {
            throw new CakeException(exit == 4
                ? $"Perf: the run regressed against {Baseline} (see the table above and {Output}/report.html)."
                : $"Perf: the load test failed with exit code {exit}.");
        }

        if (update)
        {
            CopyFile($"{Output}/result.json", Baseline);
            Information($"Perf: the baseline {Baseline} now holds this run.");
        }
    });

Task("Default")
    .IsDependentOn("Build")
    .IsDependentOn("Test");

RunTarget(target);
