package io.github.jovl.fuse;

import com.kenai.jffi.MemoryIO;
import io.github.jovl.fs.Stat;
import java.nio.charset.Charset;
import jnr.ffi.Memory;
import jnr.ffi.Pointer;
import jnr.ffi.Runtime;
import jnr.ffi.Struct;
import ru.serce.jnrfuse.struct.FileStat;
import ru.serce.jnrfuse.struct.FuseFileInfo;

/**
 * Reads and writes libfuse's memory by address, for the callbacks that run on every request. jnr-fuse's own
 * wrappers build a jnr Struct (FileStat, FuseFileInfo: some twenty field objects) and decode each path through a
 * CharsetDecoder per call; a profile of `ls -lR` showed those among the largest Java costs per request.
 * Layouts still come from jnr-fuse's structs, read once here, so nothing is hard-coded per architecture.
 */
final class RawMemory {
    private static final MemoryIO IO = MemoryIO.getInstance();
    private static final Runtime RT = Runtime.getSystemRuntime();
    /** The charset jnr uses for String parameters (the default one), so names decode exactly as before. */
    private static final Charset NAMES = Charset.defaultCharset();

    /** The offset of fh in struct fuse_file_info. */
    private static final long FI_FH;

    /** sizeof(struct stat) as jnr-fuse lays it out. */
    private static final int STAT_SIZE;
    /** Whether x86-64's struct stat (the only layout {@link #putStat} writes field by field) is the one here. */
    private static final boolean X86_64_STAT;

    /** Per libfuse worker thread: a FileStat to fill and copy out where the layout is not x86-64's. */
    private static final ThreadLocal<FileStat> SCRATCH =
            ThreadLocal.withInitial(() -> FileStat.of(Memory.allocateDirect(RT, statSize(), true)));

    static {
        FuseFileInfo fi = FuseFileInfo.of(Memory.allocateDirect(RT, 128, true));
        FI_FH = fi.fh.offset();
        FileStat f = FileStat.of(Memory.allocateDirect(RT, 256, true));
        STAT_SIZE = Struct.size(f);
        X86_64_STAT = sameBytes();
    }

    private RawMemory() {
    }

    /** A NUL-terminated string from libfuse (a path or an xattr name); null for a NULL pointer. */
    static String string(long address) {
        if (address == 0) {
            return null;
        }
        int n = 0;
        while (IO.getByte(address + n) != 0) {
            n++;
        }
        byte[] b = new byte[n];
        IO.getByteArray(address, b, 0, n);
        return new String(b, NAMES);
    }

    /** The file handle our open or create stored in a struct fuse_file_info. */
    static long fh(long fileInfo) {
        return IO.getLong(fileInfo + FI_FH);
    }

    static void putBytes(long address, byte[] b) {
        IO.putByteArray(address, b, 0, b.length);
    }

    /** Fills the struct stat libfuse passed (already zeroed by libfuse) with the engine's record. */
    static void putStat(Stat s, long address) {
        if (X86_64_STAT) {
            putX86(s, address);
        } else {
            FileStat f = SCRATCH.get();
            StatCopy.into(s, f);
            IO.copyMemory(Struct.getMemory(f).address(), address, STAT_SIZE);
        }
    }

    /** glibc's x86-64 struct stat; {@link #sameBytes} checks it against jnr-fuse's layout before it is used. */
    private static void putX86(Stat s, long a) {
        IO.putLong(a, s.dev());
        IO.putLong(a + 8, s.ino());
        IO.putLong(a + 16, s.nlink());
        IO.putInt(a + 24, s.mode());
        IO.putInt(a + 28, s.uid());
        IO.putInt(a + 32, s.gid());
        IO.putLong(a + 40, s.rdev());
        IO.putLong(a + 48, s.size());
        IO.putLong(a + 56, s.blksize());
        IO.putLong(a + 64, s.blocks());
        putTime(a + 72, s.atimeNs());
        putTime(a + 88, s.mtimeNs());
        putTime(a + 104, s.ctimeNs());
    }

    private static void putTime(long a, long ns) {
        IO.putLong(a, StatCopy.seconds(ns));
        IO.putLong(a + 8, StatCopy.nanos(ns));
    }

    /** True when writing a sample stat field by field gives exactly the bytes jnr-fuse's FileStat gives. */
    private static boolean sameBytes() {
        if (RT.addressSize() != 8 || STAT_SIZE < 120) {
            return false;
        }
        Stat sample = new Stat(0x0102030405060708L, 0x1112131415161718L, 0100644, 0x21222324L, -2, 0x31323334,
                0x4142434445464748L, 0x5152535455565758L, 0x6162636465666768L, 4096, -1_500_000_001L,
                1_700_000_000_123_456_789L, 0x7172737475767778L);
        Pointer viaJnr = Memory.allocateDirect(RT, STAT_SIZE, true);
        StatCopy.into(sample, FileStat.of(viaJnr));
        Pointer direct = Memory.allocateDirect(RT, STAT_SIZE, true);
        putX86(sample, direct.address());
        byte[] a = new byte[STAT_SIZE];
        byte[] b = new byte[STAT_SIZE];
        viaJnr.get(0, a, 0, STAT_SIZE);
        direct.get(0, b, 0, STAT_SIZE);
        return java.util.Arrays.equals(a, b);
    }

    private static int statSize() {
        return STAT_SIZE;
    }

    /** For a test: whether the field-by-field writer is in use on this machine. */
    static boolean directStat() {
        return X86_64_STAT;
    }
}
