using StreamingFeatures.Emulators;

namespace StreamingFeatures.Tests.Emulators;

/// <summary>Memory available to a new process: MemAvailable, or the room left under a cgroup limit when lower.</summary>
[TestClass]
public sealed class AvailableMemoryTests
{
    private const string MemInfo = "MemTotal:       24683584 kB\nMemFree:        20000000 kB\nMemAvailable:   22000000 kB\nBuffers:          100 kB\n";

    [TestMethod]
    public void Read_NoCgroupLimit_MemAvailable()
    {
        Assert.AreEqual(22_000_000L * 1024, AvailableMemory.Read(Files(("/proc/meminfo", MemInfo))));
    }

    [TestMethod]
    public void Read_CgroupV2LimitLower_RoomLeftUnderLimitCountingInactiveFilesAsFree()
    {
        long? available = AvailableMemory.Read(Files(
            ("/proc/meminfo", MemInfo),
            ("/sys/fs/cgroup/memory.max", "8589934592\n"),
            ("/sys/fs/cgroup/memory.current", "3221225472\n"),
            ("/sys/fs/cgroup/memory.stat", "anon 2147483648\nfile 1073741824\ninactive_file 1073741824\nactive_file 0\n")));

        Assert.AreEqual((8L << 30) - (2L << 30), available);
    }

    [TestMethod]
    public void Read_CgroupV2Max_MemAvailable()
    {
        long? available = AvailableMemory.Read(Files(
            ("/proc/meminfo", MemInfo),
            ("/sys/fs/cgroup/memory.max", "max\n"),
            ("/sys/fs/cgroup/memory.current", "3221225472\n")));

        Assert.AreEqual(22_000_000L * 1024, available);
    }

    [TestMethod]
    public void Read_CgroupV1UnlimitedHugeNumber_MemAvailable()
    {
        long? available = AvailableMemory.Read(Files(
            ("/proc/meminfo", MemInfo),
            ("/sys/fs/cgroup/memory/memory.limit_in_bytes", "9223372036854771712\n"),
            ("/sys/fs/cgroup/memory/memory.usage_in_bytes", "1000\n")));

        Assert.AreEqual(22_000_000L * 1024, available);
    }

    [TestMethod]
    public void Read_CgroupV1LimitLower_RoomLeftUnderLimit()
    {
        long? available = AvailableMemory.Read(Files(
            ("/proc/meminfo", MemInfo),
            ("/sys/fs/cgroup/memory/memory.limit_in_bytes", "4294967296\n"),
            ("/sys/fs/cgroup/memory/memory.usage_in_bytes", "1073741824\n"),
            ("/sys/fs/cgroup/memory/memory.stat", "cache 0\ntotal_inactive_file 536870912\n")));

        Assert.AreEqual((4L << 30) - (512L << 20), available);
    }

    [TestMethod]
    public void Read_NoMemInfo_Null()
    {
        Assert.IsNull(AvailableMemory.Read(Files()));
    }

    private static Func<string, string?> Files(params (string Path, string Text)[] files) =>
        path => files.FirstOrDefault(f => f.Path == path).Text;
}
