using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using StreamingFeatures.Emulators;

namespace StreamingFeatures.IntegrationTests.Emulators;

[TestClass]
[TestCategory("Integration")]
public sealed class EmulatorLauncherTests
{
    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    public async Task StartAsync_Bigtable_AnswersOnLoopbackCapturesOutputAndEndsOnDispose()
    {
        Emulator emulator = await Emulator.StartAsync(EmulatorKind.Bigtable, new EmulatorOptions { UseEnvironmentHost = false }, TestContext.CancellationToken);
        int processId = emulator.ProcessId!.Value;
        using Process process = Process.GetProcessById(processId);

        Assert.IsFalse(emulator.IsExternal);
        StringAssert.StartsWith(emulator.Endpoint, "127.0.0.1:");
        Assert.IsTrue(await WaitForAsync(() => emulator.RecentOutput.Contains("emulator running", StringComparison.OrdinalIgnoreCase)), emulator.RecentOutput);

        await emulator.DisposeAsync();

        Assert.IsTrue(process.HasExited, "the emulator process must end on dispose");
        Assert.IsFalse(await AcceptsConnectionsAsync(emulator.Endpoint), "nothing may listen on the port after dispose");
    }

    [TestMethod]
    public async Task StartAsync_OutputFileInOwnSession_OutputInFileNotPipesSamePidFileDeletedOnDispose()
    {
        string file = Path.Combine(Path.GetTempPath(), $"sf-emulator-output-{Guid.NewGuid():N}.log");
        Emulator emulator = await Emulator.StartAsync(EmulatorKind.Bigtable, new EmulatorOptions { UseEnvironmentHost = false, OwnSession = true, OutputFile = file }, TestContext.CancellationToken);
        int processId = emulator.ProcessId!.Value;
        using Process process = Process.GetProcessById(processId);

        StringAssert.Contains(process.ProcessName, "cbtemulator", "the pid is the emulator's, not the shell's or setsid's");
        Assert.AreEqual(file, new FileInfo($"/proc/{processId}/fd/1").LinkTarget);
        Assert.AreEqual(file, new FileInfo($"/proc/{processId}/fd/2").LinkTarget);
        Assert.IsTrue(await WaitForAsync(() => emulator.RecentOutput.Contains("emulator running", StringComparison.OrdinalIgnoreCase)), emulator.RecentOutput);

        await emulator.DisposeAsync();

        Assert.IsTrue(process.HasExited, "the emulator process must end on dispose");
        Assert.IsFalse(File.Exists(file), "the output file goes with the emulator stopped here");
    }

    [TestMethod]
    public async Task StartAsync_TwoAtOnce_GetDistinctPorts()
    {
        var options = new EmulatorOptions { UseEnvironmentHost = false };
        Emulator[] emulators = await Task.WhenAll(
            Emulator.StartAsync(EmulatorKind.Bigtable, options, TestContext.CancellationToken),
            Emulator.StartAsync(EmulatorKind.Bigtable, options, TestContext.CancellationToken));
        try
        {
            Assert.AreNotEqual(emulators[0].Endpoint, emulators[1].Endpoint);
        }
        finally
        {
            foreach (Emulator emulator in emulators)
            {
                await emulator.DisposeAsync();
            }
        }
    }

    [TestMethod]
    public async Task StartAsync_EnvironmentNamesRunningEmulator_UsesItAndLeavesItRunning()
    {
        string running = EmulatorFixture.Bigtable.Endpoint;

        Emulator emulator = await Emulator.StartAsync(
            EmulatorSpec.Bigtable,
            new EmulatorOptions(),
            new EmulatorLocator(() => throw new AssertFailedException("no emulator may be searched for"), _ => false, _ => null),
            variable => variable == "BIGTABLE_EMULATOR_HOST" ? running : null,
            TestContext.CancellationToken);
        await emulator.DisposeAsync();

        Assert.IsTrue(emulator.IsExternal);
        Assert.AreEqual(running, emulator.Endpoint);
        Assert.IsNull(emulator.ProcessId);
        Assert.IsTrue(await AcceptsConnectionsAsync(running), "an external emulator must be left running");
    }

    [TestMethod]
    public async Task StartAsync_EnvironmentNamesSilentPort_FailsNamingVariableWithinTimeout()
    {
        int silentPort = FreePort();
        var stopwatch = Stopwatch.StartNew();

        var error = await Assert.ThrowsExactlyAsync<EmulatorStartException>(() => Emulator.StartAsync(
            EmulatorSpec.PubSub,
            new EmulatorOptions { StartTimeout = TimeSpan.FromSeconds(2) },
            EmulatorLocator.System,
            variable => variable == "PUBSUB_EMULATOR_HOST" ? $"127.0.0.1:{silentPort}" : null,
            TestContext.CancellationToken));

        StringAssert.Contains(error.Message, $"PUBSUB_EMULATOR_HOST=127.0.0.1:{silentPort}");
        StringAssert.Contains(error.Message, "did not answer");
        Assert.IsLessThan(TimeSpan.FromSeconds(10), stopwatch.Elapsed);
    }

    [TestMethod]
    public async Task StartAsync_ExecutableExitsAtOnce_FailsWithExitCodeAndOutput()
    {
        // Stands in for an emulator that dies on start (a broken install, a bad flag).
        string script = Path.Combine(Path.GetTempPath(), $"sf-broken-emulator-{Guid.NewGuid():N}.sh");
        await File.WriteAllTextAsync(script, "#!/bin/sh\necho 'cannot start: broken on purpose' >&2\nexit 7\n", TestContext.CancellationToken);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(script, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        try
        {
            var error = await Assert.ThrowsExactlyAsync<EmulatorStartException>(() => Emulator.StartAsync(
                EmulatorKind.Bigtable,
                new EmulatorOptions { ExecutablePath = script, UseEnvironmentHost = false, StartTimeout = TimeSpan.FromSeconds(30) },
                TestContext.CancellationToken));

            StringAssert.Contains(error.Message, "exited with code 7");
            StringAssert.Contains(error.Message, "broken on purpose");
        }
        finally
        {
            File.Delete(script);
        }
    }

    [TestMethod]
    public async Task StartAsync_CancelledWhileStarting_EndsTheProcess()
    {
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(TestContext.CancellationToken);
        var seen = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        var options = new EmulatorOptions { UseEnvironmentHost = false, OutputLine = line => seen.TrySetResult(line) };

        // The Pub/Sub emulator's JVM prints a banner well before it listens: cancel then.
        Task<Emulator> starting = Emulator.StartAsync(EmulatorKind.PubSub, options, cancel.Token);
        await seen.Task.WaitAsync(TimeSpan.FromSeconds(60), TestContext.CancellationToken);
        int[] before = EmulatorJavaProcesses();
        cancel.Cancel();

        await Assert.ThrowsAsync<OperationCanceledException>(() => starting);
        Assert.IsTrue(await WaitForAsync(() => EmulatorJavaProcesses().Length < before.Length), "the cancelled emulator must not outlive the start");
    }

    private static int[] EmulatorJavaProcesses() =>
        Process.GetProcessesByName("java")
            .Where(p => File.Exists($"/proc/{p.Id}/cmdline") && File.ReadAllText($"/proc/{p.Id}/cmdline").Contains("pubsub-emulator", StringComparison.Ordinal))
            .Select(p => p.Id)
            .ToArray();

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static async Task<bool> AcceptsConnectionsAsync(string endpoint)
    {
        int port = int.Parse(endpoint[(endpoint.LastIndexOf(':') + 1)..], System.Globalization.CultureInfo.InvariantCulture);
        using var client = new TcpClient();
        try
        {
            await client.ConnectAsync(IPAddress.Loopback, port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private static async Task<bool> WaitForAsync(Func<bool> condition)
    {
        for (int i = 0; i < 100 && !condition(); i++)
        {
            await Task.Delay(100);
        }

        return condition();
    }
}
