package io.github.jovl.fuse;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jovl.config.OverlayConfig;
import io.github.jovl.config.WhiteoutFormat;
import io.github.jovl.fs.Caller;
import io.github.jovl.fs.Errno;
import io.github.jovl.fs.FileType;
import io.github.jovl.fs.RelPath;
import io.github.jovl.fs.Stat;
import io.github.jovl.fs.Utime;
import io.github.jovl.union.Overlay;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import jnr.ffi.Memory;
import jnr.ffi.Pointer;
import jnr.ffi.Runtime;
import jnr.ffi.Struct;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import ru.serce.jnrfuse.FuseFillDir;
import ru.serce.jnrfuse.struct.FileStat;
import ru.serce.jnrfuse.struct.FuseFileInfo;
import ru.serce.jnrfuse.struct.Statvfs;
import ru.serce.jnrfuse.struct.Timespec;

/**
 * The adapter's callbacks called directly, as libfuse would call them, on native memory laid out as libfuse's
 * structs; no mount. Needs libfuse.so.2 to be loadable (jnr-fuse loads it when the adapter is built).
 */
class OverlayFuseReplayTest {
    private static final Runtime RT = Runtime.getSystemRuntime();

    @TempDir
    Path tmp;
    private Overlay engine;
    private OverlayFuse fs;
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @BeforeEach
    void setUp() throws Exception {
        Path lower = Files.createDirectories(tmp.resolve("lower"));
        Files.writeString(lower.resolve("f"), "lower-f");
        Files.createDirectories(lower.resolve("d"));
        Files.createSymbolicLink(lower.resolve("link"), Path.of("abcdef"));
        engine = Overlay.open(OverlayConfig.builder().lower(lower)
                .upper(Files.createDirectories(tmp.resolve("upper")))
                .work(Files.createDirectories(tmp.resolve("work"))).whiteout(WhiteoutFormat.WHFILE).build());
        try {
            fs = new OverlayFuse(engine, () -> Caller.SELF, false, new PrintStream(err, true));
        } catch (Throwable t) {
            if (!"true".equals(System.getenv("CI"))) {
                Assumptions.abort("libfuse.so.2 cannot be loaded: " + t);
            }
            throw t;
        }
    }

    @AfterEach
    void tearDown() {
        engine.close();
        assertEquals("", err.toString(), "no callback hit an internal error");
    }

    private static FileStat stat() {
        return FileStat.of(Memory.allocateDirect(RT, 256, true));
    }

    private static FuseFileInfo fileInfo(int flags) {
        FuseFileInfo fi = FuseFileInfo.of(Memory.allocateDirect(RT, 64, true));
        fi.flags.set(flags);
        return fi;
    }

    private static Pointer bytes(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        Pointer p = Memory.allocateDirect(RT, b.length + 1, true);
        p.put(0, b, 0, b.length);
        return p;
    }

    /** Native memory handed to a callback stays referenced until the test ends (jnr frees it when collected). */
    private final java.util.List<Pointer> keep = new java.util.ArrayList<>();

    /** A C string as libfuse passes it; 0 for null. */
    private long c(String s) {
        if (s == null) {
            return 0;
        }
        Pointer p = bytes(s);
        keep.add(p);
        return p.address();
    }

    private static long addr(Struct s) {
        return Struct.getMemory(s).address();
    }

    private int getattr(String path, FileStat st) {
        return fs.getattr(c(path), addr(st));
    }

    private int fgetattr(String path, FileStat st, FuseFileInfo fi) {
        return fs.fgetattr(c(path), addr(st), addr(fi));
    }

    private int read(String path, Pointer buf, long size, long off, FuseFileInfo fi) {
        keep.add(buf);
        return fs.read(c(path), buf.address(), size, off, addr(fi));
    }

    private int write(String path, Pointer buf, long size, long off, FuseFileInfo fi) {
        keep.add(buf);
        return fs.write(c(path), buf.address(), size, off, addr(fi));
    }

    private int getxattr(String path, String name, Pointer buf, long size) {
        return fs.getxattr(c(path), c(name), buf == null ? 0 : buf.address(), size);
    }

    @Test
    void theFlagWordSitsWhereLibfuse29HasIt() {
        Pointer ops = Struct.getMemory(fs.operations());
        int ptr = RT.addressSize();
        // 38 callbacks, one word of flag bits, 6 more callbacks: struct fuse_operations of libfuse 2.9
        assertEquals((OverlayFuse.FLAG_WORD_SLOT + 1 + 6) * ptr, Struct.size(fs.operations()));
        assertEquals(0b101, ops.getInt(OverlayFuse.FLAG_WORD_SLOT * ptr), "nullpath_ok and utime_omit_ok");
    }

    @Test
    void getattrCopiesEveryFieldOfTheEnginesStat() throws Exception {
        FileStat st = stat();
        assertEquals(0, getattr("/f", st));
        Stat want = engine.getattr(RelPath.of("/f"));
        assertEquals(want.ino(), st.st_ino.longValue());
        assertEquals(want.mode(), st.st_mode.intValue());
        assertEquals(7, st.st_size.longValue());
        assertEquals(want.nlink(), st.st_nlink.longValue());
        assertEquals(want.mtimeNs() / 1_000_000_000L, st.st_mtim.tv_sec.get());
        assertEquals(want.mtimeNs() % 1_000_000_000L, st.st_mtim.tv_nsec.longValue());
        assertEquals(-Errno.ENOENT.number, getattr("/missing", stat()));
        assertEquals(-Errno.EINVAL.number, getattr("/d/../f", stat()), "'..' never reaches the engine");
    }

    @Test
    void readdirFillsNamesInodesAndTypes() {
        Map<String, long[]> seen = new LinkedHashMap<>();
        FuseFillDir filler = new FuseFillDir() {
            @Override
            public int apply(Pointer buf, ByteBuffer name, Pointer stbuf, long off) {
                ByteBuffer n = name.duplicate();
                StringBuilder s = new StringBuilder();
                for (byte b = n.get(); b != 0; b = n.get()) {
                    s.append((char) b);
                }
                FileStat st = FileStat.of(stbuf);
                seen.put(s.toString(), new long[] {st.st_ino.longValue(), st.st_mode.longValue(), off});
                return 0;
            }
        };
        assertEquals(0, fs.readdir("/", null, filler, 0, fileInfo(0)));
        assertEquals(java.util.Set.of(".", "..", "f", "d", "link"), seen.keySet());
        assertEquals(FileType.REGULAR.bits, seen.get("f")[1]);
        assertEquals(FileType.DIRECTORY.bits, seen.get("d")[1]);
        assertEquals(FileType.SYMLINK.bits, seen.get("link")[1]);
        seen.values().forEach(v -> assertNotEquals(0, v[0], "d_ino 0 would make glibc skip the entry"));
        seen.values().forEach(v -> assertEquals(0, v[2], "offset 0: libfuse keeps the whole listing"));
    }

    @Test
    void createWriteReadThroughNativeBuffers() {
        FuseFileInfo fi = fileInfo(2 | 0100);
        assertEquals(0, fs.create("/new", 0644 | FileType.REGULAR.bits, fi));
        Pointer data = bytes("hello");
        assertEquals(5, write("/new", data, 5, 0, fi));
        Pointer back = Memory.allocateDirect(RT, 16, true);
        assertEquals(5, read("/new", back, 16, 0, fi));
        assertEquals("hello", back.getString(0));
        FileStat st = stat();
        assertEquals(0, fgetattr("/new", st, fi));
        assertEquals(5, st.st_size.longValue());
        assertEquals(0, fs.release("/new", fi));
        assertEquals(-Errno.EBADF.number, read("/new", back, 16, 0, fi), "a released handle is gone");
    }

    @Test
    void anUnlinkedOpenFileIsServedByItsHandleWithoutAPath() {
        FuseFileInfo fi = fileInfo(2);
        assertEquals(0, fs.open("/f", fi));
        assertEquals(0, fs.unlink("/f"));
        assertEquals(-Errno.ENOENT.number, getattr("/f", stat()));
        FileStat st = stat();
        assertEquals(0, fgetattr(null, st, fi));
        assertEquals(7, st.st_size.longValue());
        assertEquals(3, write(null, bytes("NEW"), 3, 0, fi));
        assertEquals(0, fs.release(null, fi));
    }

    @Test
    void readlinkTruncatesAndTerminates() {
        Pointer buf = Memory.allocateDirect(RT, 16, false);
        buf.putInt(0, 0x7f7f7f7f);
        assertEquals(0, fs.readlink("/link", buf, 3));
        assertEquals("ab", buf.getString(0));
        assertEquals(0, fs.readlink("/link", buf, 16));
        assertEquals("abcdef", buf.getString(0));
        assertEquals(-Errno.EINVAL.number, fs.readlink("/f", buf, 16));
    }

    @Test
    void xattrSizeProtocol() {
        int set = fs.setxattr("/f", "user.colour", bytes("green"), 5, 0);
        Assumptions.assumeTrue(set != -Errno.EOPNOTSUPP.number, "no user xattrs on this filesystem");
        assertEquals(0, set);
        Pointer buf = Memory.allocateDirect(RT, 64, true);
        assertEquals(5, getxattr("/f", "user.colour", null, 0), "size 0 asks for the size");
        assertEquals(-Errno.ERANGE.number, getxattr("/f", "user.colour", buf, 2));
        assertEquals(5, getxattr("/f", "user.colour", buf, 64));
        byte[] v = new byte[5];
        buf.get(0, v, 0, 5);
        assertArrayEquals("green".getBytes(StandardCharsets.UTF_8), v);
        int len = fs.listxattr("/f", null, 0);
        assertTrue(len >= "user.colour\0".length());
        assertEquals(len, fs.listxattr("/f", buf, 64));
        assertTrue(new String(readBytes(buf, len), StandardCharsets.UTF_8).contains("user.colour\0"));
        assertEquals(-Errno.ERANGE.number, fs.listxattr("/f", buf, 1));
        assertEquals(0, fs.removexattr("/f", "user.colour"));
        assertEquals(-Errno.ENODATA.number, getxattr("/f", "user.colour", buf, 64));
    }

    private static byte[] readBytes(Pointer p, int n) {
        byte[] b = new byte[n];
        p.get(0, b, 0, n);
        return b;
    }

    @Test
    void utimensPassesOmitThrough() throws Exception {
        long atimeBefore = engine.getattr(RelPath.of("/f")).atimeNs();
        Pointer mem = Memory.allocateDirect(RT, 32, true);
        Timespec a = Timespec.of(mem);
        Timespec m = Timespec.of(mem.slice(16));
        a.tv_nsec.set(Utime.OMIT);
        m.tv_sec.set(1_000_000_000L);
        m.tv_nsec.set(5);
        assertEquals(0, fs.utimens("/f", new Timespec[] {a, m}));
        Stat after = engine.getattr(RelPath.of("/f"));
        assertEquals(1_000_000_000_000_000_005L, after.mtimeNs());
        assertEquals(atimeBefore, after.atimeNs(), "atime left alone");
    }

    @Test
    void namespaceChangesAndStatfs() throws Exception {
        assertEquals(0, fs.mkdir("/d/sub", 0755));
        assertEquals(0, fs.symlink("target", "/d/sym"));
        assertEquals(0, fs.rename("/f", "/d/g"));
        assertEquals(-Errno.ENOENT.number, getattr("/f", stat()));
        assertEquals(0, fs.chmod("/d/g", 0600 | FileType.REGULAR.bits));
        assertEquals(0600, engine.getattr(RelPath.of("/d/g")).permissions());
        assertEquals(0, fs.truncate("/d/g", 3));
        assertEquals(3, engine.getattr(RelPath.of("/d/g")).size());
        assertEquals(0, fs.chown("/d/g", 0xffffffffL, 0xffffffffL), "-1/-1 changes nothing");
        assertEquals(-Errno.ENOTEMPTY.number, fs.rmdir("/d"));
        Statvfs v = Statvfs.of(Memory.allocateDirect(RT, 128, true));
        assertEquals(0, fs.statfs("/", v));
        assertTrue(v.f_bsize.longValue() > 0 && v.f_namemax.longValue() == 255);
    }
}
