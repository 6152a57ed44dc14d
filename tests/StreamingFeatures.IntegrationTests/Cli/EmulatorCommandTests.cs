using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Google.Cloud.BigQuery.Storage.V1;
using Grpc.Net.Client;
using StreamingFeatures.IntegrationTests.BigQuery;

namespace StreamingFeatures.IntegrationTests.Cli;

/// <summary>
/// <c>streamingfeatures emulator bigquery</c> as a process: read with Google's generated client from the endpoint it
/// prints, refused arguments, and how it stops.
/// </summary>
[TestClass]
[TestCategory("Integration")]
public sealed class EmulatorCommandTests
{
    private const string EndpointPrefix = "BIGQUERY_STORAGE_EMULATOR_HOST=";
    private const string Table = "projects/test/datasets/features/tables/synthetic";

    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    public async Task EmulatorBigQuery_SyntheticTable_ServesEveryRowThroughTheStorageReadApi()
    {
        await using CliProcess cli = CliProcess.Start(["emulator", "bigquery", "--table", Table + "=synthetic:rows=3000,features=3,seed=7"]);
        string endpoint = await cli.WaitForEndpointAsync(TestContext.CancellationToken);

        List<object?[]> rows = await ReadAllAsync(endpoint, Table, streams: 3);

        Assert.HasCount(3_000, rows);
        CollectionAssert.AreEquivalent(
            Enumerable.Range(0, 3_000).Select(i => string.Create(CultureInfo.InvariantCulture, $"user-{i:D10}")).ToList(),
            rows.Select(r => (string?)r[0]).ToList());
        Assert.HasCount(5, rows[0], "entity_id, event_time and three features");
        StringAssert.Contains(cli.Output, $"table {Table}: synthetic(3000 rows, 3 features");
    }

    [TestMethod]
    public async Task EmulatorBigQuery_CsvTable_ServesTheFileRows()
    {
        string folder = Directory.CreateTempSubdirectory("sf-emulator-").FullName;
        try
        {
            await File.WriteAllTextAsync(
                Path.Combine(folder, "part-0.csv"),
                "entity_id,event_time,clicks\nu1,2026-01-01T00:00:00Z,3\nu2,2026-01-01T00:00:01Z,5\n",
                TestContext.CancellationToken);
            const string CsvTable = "projects/test/datasets/files/tables/clicks";
            await using CliProcess cli = CliProcess.Start(["emulator", "bigquery", "--table", $"{CsvTable}=files:{folder}/*.csv"]);
            string endpoint = await cli.WaitForEndpointAsync(TestContext.CancellationToken);

            List<object?[]> rows = await ReadAllAsync(endpoint, CsvTable, streams: 1);

            CollectionAssert.AreEquivalent(new[] { "u1", "u2" }, rows.Select(r => (string?)r[0]).ToList());
            CollectionAssert.AreEquivalent(new long[] { 3, 5 }, rows.Select(r => (long)r[2]!).ToList());
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [TestMethod]
    public async Task EmulatorBigQuery_SigTerm_StopsGracefullyWithExitZero()
    {
        await using CliProcess cli = CliProcess.Start(["emulator", "bigquery", "--table", Table + "=synthetic:rows=10"]);
        string endpoint = await cli.WaitForEndpointAsync(TestContext.CancellationToken);

        await cli.SignalAsync("TERM", TestContext.CancellationToken);
        int code = await cli.WaitForExitAsync(TimeSpan.FromSeconds(20), TestContext.CancellationToken);

        Assert.AreEqual(0, code, cli.Output);
        StringAssert.Contains(cli.Output, "Stopping the BigQuery Storage Read emulator.");
        Assert.IsFalse(await AcceptsConnectionsAsync(endpoint), "the port is released after the stop");
    }

    [TestMethod]
    public async Task EmulatorBigQuery_StdinClosedWithStopOnStdinClose_ExitsZero()
    {
        await using CliProcess cli = CliProcess.Start(["emulator", "bigquery", "--stop-on-stdin-close", "--table", Table + "=synthetic:rows=10"]);
        await cli.WaitForEndpointAsync(TestContext.CancellationToken);

        cli.CloseStandardInput();
        int code = await cli.WaitForExitAsync(TimeSpan.FromSeconds(20), TestContext.CancellationToken);

        Assert.AreEqual(0, code, cli.Output);
    }

    [TestMethod]
    [DataRow("--table", "projects/p/datasets/d/tables/t=ftp:elsewhere")]
    [DataRow("--table", "projects/p/datasets/d/tables/t=synthetic:rows=ten")]
    [DataRow("--table", "tables/t=synthetic")]
    [DataRow("--table", "projects/p/datasets/d/tables/t=files:/no/such/folder/*.parquet")]
    [DataRow("--port", "70000")]
    [DataRow("--port", "eighty")]
    [DataRow("--host", "0.0.0.0")]
    public async Task EmulatorBigQuery_BadArgument_ExitsTwoNamingTheValue(string option, string value)
    {
        await using CliProcess cli = CliProcess.Start(["emulator", "bigquery", option, value]);

        int code = await cli.WaitForExitAsync(TimeSpan.FromMinutes(1), TestContext.CancellationToken);

        Assert.AreEqual(2, code, cli.Output);
        StringAssert.Contains(cli.Output, option);
        StringAssert.Contains(cli.Output, value);
    }

    [TestMethod]
    public async Task EmulatorBigQuery_PortInUse_ExitsTwoNamingThePort()
    {
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        string port = ((IPEndPoint)taken.LocalEndpoint).Port.ToString(CultureInfo.InvariantCulture);
        await using CliProcess cli = CliProcess.Start(["emulator", "bigquery", "--port", port, "--table", Table + "=synthetic:rows=10"]);

        int code = await cli.WaitForExitAsync(TimeSpan.FromMinutes(1), TestContext.CancellationToken);

        Assert.AreEqual(2, code, cli.Output);
        StringAssert.Contains(cli.Output, $"--port is {port}");
    }

    /// <summary>Every row of <paramref name="table"/>, read the way a BigQuery Storage client reads: one session, every stream.</summary>
    private async Task<List<object?[]>> ReadAllAsync(string endpoint, string table, int streams)
    {
        using GrpcChannel channel = GrpcChannel.ForAddress("http://" + endpoint);
        var client = new BigQueryRead.BigQueryReadClient(channel);
        ReadSession session = await client.CreateReadSessionAsync(
            new CreateReadSessionRequest
            {
                Parent = "projects/" + table.Split('/')[1],
                MaxStreamCount = streams,
                ReadSession = new ReadSession { Table = table, DataFormat = DataFormat.Arrow },
            },
            cancellationToken: TestContext.CancellationToken);
        var rows = new List<object?[]>();
        foreach (ReadStream stream in session.Streams)
        {
            await ArrowReads.ReadAsync(client, session, stream.Name, 0, rows, TestContext.CancellationToken);
        }

        return rows;
    }

    private static async Task<bool> AcceptsConnectionsAsync(string endpoint)
    {
        string[] hostPort = endpoint.Split(':');
        using var client = new TcpClient();
        try
        {
            await client.ConnectAsync(hostPort[0], int.Parse(hostPort[1], CultureInfo.InvariantCulture));
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    /// <summary>The CLI the build copied beside the tests, run the way a user or a container runs it.</summary>
    private sealed class CliProcess : IAsyncDisposable
    {
        private readonly Process _process;
        private readonly Task<string> _error;
        private readonly List<string> _lines = [];
        private Task<string>? _restOfOutput;

        private CliProcess(Process process)
        {
            _process = process;
            _error = process.StandardError.ReadToEndAsync();
        }

        public string Output
        {
            get
            {
                lock (_lines)
                {
                    return string.Join(Environment.NewLine, _lines) + Environment.NewLine + (_restOfOutput is { IsCompletedSuccessfully: true } rest ? rest.Result : string.Empty)
                        + (_error.IsCompletedSuccessfully ? _error.Result : string.Empty);
                }
            }
        }

        public static CliProcess Start(string[] arguments)
        {
            var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, UseShellExecute = false };
            start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "StreamingFeatures.Cli.dll"));
            start.ArgumentList.Add(arguments[0]);
            start.ArgumentList.Add(arguments[1]);

            // The lines people read (redirected, the command would print JSON lines).
            start.ArgumentList.Add("--log-format");
            start.ArgumentList.Add("simple");
            foreach (string argument in arguments[2..])
            {
                start.ArgumentList.Add(argument);
            }

            return new CliProcess(Process.Start(start)!);
        }

        /// <summary>Reads start-up lines until the endpoint line and returns its value.</summary>
        public async Task<string> WaitForEndpointAsync(CancellationToken cancellationToken)
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromMinutes(1));
            while (await _process.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
            {
                lock (_lines)
                {
                    _lines.Add(line);
                }

                if (line.StartsWith(EndpointPrefix, StringComparison.Ordinal))
                {
                    _restOfOutput = _process.StandardOutput.ReadToEndAsync(CancellationToken.None);
                    return line[EndpointPrefix.Length..];
                }
            }

            await _process.WaitForExitAsync(cancellationToken);
            Assert.Fail($"The emulator exited ({_process.ExitCode}) without printing its endpoint:{Environment.NewLine}{Output}");
            return string.Empty;
        }

        public async Task SignalAsync(string signal, CancellationToken cancellationToken)
        {
            using Process kill = Process.Start("kill", ["-" + signal, _process.Id.ToString(CultureInfo.InvariantCulture)]);
            await kill.WaitForExitAsync(cancellationToken);
            Assert.AreEqual(0, kill.ExitCode, "kill -" + signal);
        }

        public void CloseStandardInput() => _process.StandardInput.Close();

        public async Task<int> WaitForExitAsync(TimeSpan limit, CancellationToken cancellationToken)
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(limit);
            await _process.WaitForExitAsync(timeout.Token);
            _restOfOutput ??= _process.StandardOutput.ReadToEndAsync(CancellationToken.None);
            await Task.WhenAll(_restOfOutput, _error);
            return _process.ExitCode;
        }

        public async ValueTask DisposeAsync()
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync(CancellationToken.None);
            }

            _process.Dispose();
        }
    }
}
