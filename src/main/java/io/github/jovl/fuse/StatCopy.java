package io.github.jovl.fuse;

import io.github.jovl.fs.Stat;
import io.github.jovl.fs.StatFs;
import ru.serce.jnrfuse.struct.FileStat;
import ru.serce.jnrfuse.struct.Statvfs;
import ru.serce.jnrfuse.struct.Timespec;

/** Copies the engine's records into the structs libfuse hands us. */
final class StatCopy {
    private static final long NANOS = 1_000_000_000L;

    private StatCopy() {
    }

    static void into(Stat s, FileStat f) {
        f.st_dev.set(s.dev());
        // the engine's st_ino: with -o use_ino it is what stat(2) shows, stable across copy-up
        f.st_ino.set(s.ino());
        f.st_nlink.set(s.nlink());
        f.st_mode.set(s.mode());
        f.st_uid.set(s.uid() & 0xffffffffL);
        f.st_gid.set(s.gid() & 0xffffffffL);
        f.st_rdev.set(s.rdev());
        f.st_size.set(s.size());
        f.st_blksize.set(s.blksize());
        f.st_blocks.set(s.blocks());
        time(s.atimeNs(), f.st_atim);
        time(s.mtimeNs(), f.st_mtim);
        time(s.ctimeNs(), f.st_ctim);
    }

    /** floorDiv/floorMod: a time before 1970 keeps a nanosecond field in [0, 1e9), as the kernel wants. */
    private static void time(long ns, Timespec t) {
        t.tv_sec.set(seconds(ns));
        t.tv_nsec.set(nanos(ns));
    }

    static long seconds(long ns) {
        return Math.floorDiv(ns, NANOS);
    }

    static long nanos(long ns) {
        return Math.floorMod(ns, NANOS);
    }

    static void into(StatFs s, Statvfs v) {
        v.f_bsize.set(s.bsize());
        v.f_frsize.set(s.frsize());
        v.f_blocks.set(s.blocks());
        v.f_bfree.set(s.bfree());
        v.f_bavail.set(s.bavail());
        v.f_files.set(s.files());
        v.f_ffree.set(s.ffree());
        v.f_favail.set(s.ffree());
        v.f_namemax.set(s.namemax());
    }
}
