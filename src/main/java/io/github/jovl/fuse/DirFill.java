package io.github.jovl.fuse;

import io.github.jovl.fs.DirEntry;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import jnr.ffi.Memory;
import jnr.ffi.Pointer;
import jnr.ffi.Runtime;
import jnr.ffi.Struct;
import ru.serce.jnrfuse.FuseFillDir;
import ru.serce.jnrfuse.struct.FileStat;

/**
 * Hands a merged listing to libfuse's filler. Each entry carries st_mode and st_ino: with -o use_ino libfuse
 * turns them into d_type and d_ino, so find and friends need no stat per name (about 10x faster).
 * Offsets are 0, so libfuse collects the whole listing in one call and serves seekdir from its own copy.
 */
final class DirFill {
    /** libfuse's "inode number unknown": glibc's readdir skips entries whose d_ino is 0, so never send 0. */
    private static final long UNKNOWN_INO = 0xffffffffL;
    private static final int NAME_BYTES = 4 * 256;

    /** Per libfuse worker thread: the filler copies both, so they can be reused at once. */
    private static final ThreadLocal<DirFill> SCRATCH = ThreadLocal.withInitial(DirFill::new);

    private final FileStat stat;
    private final Pointer statMemory;
    private final ByteBuffer name = ByteBuffer.allocateDirect(NAME_BYTES);

    private DirFill() {
        Runtime rt = Runtime.getSystemRuntime();
        stat = FileStat.of(Memory.allocateDirect(rt, Struct.size(new FileStat(rt)), true));
        statMemory = Struct.getMemory(stat);
    }

    static void fill(List<DirEntry> entries, Pointer buf, FuseFillDir filler) {
        DirFill s = SCRATCH.get();
        for (DirEntry e : entries) {
            if (s.add(e, buf, filler) != 0) {
                return; // libfuse's buffer is full (only on out-of-memory with offset 0): stop, as it asks
            }
        }
    }

    private int add(DirEntry e, Pointer buf, FuseFillDir filler) {
        stat.st_ino.set(e.ino() == 0 ? UNKNOWN_INO : e.ino());
        stat.st_mode.set(e.type() == null ? 0 : e.type().bits);
        byte[] b = e.name().getBytes(StandardCharsets.UTF_8);
        name.clear();
        name.put(b, 0, Math.min(b.length, NAME_BYTES - 1)).put((byte) 0).flip();
        return filler.apply(buf, name, statMemory, 0);
    }
}
