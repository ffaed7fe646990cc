package io.github.jovl.fuse;

import io.github.jovl.fs.Caller;
import io.github.jovl.fs.FsException;
import io.github.jovl.fs.RelPath;
import io.github.jovl.union.Overlay;
import java.io.PrintStream;
import jnr.ffi.Pointer;
import jnr.ffi.Struct;
import ru.serce.jnrfuse.FuseFillDir;
import ru.serce.jnrfuse.FuseStubFS;
import ru.serce.jnrfuse.struct.FuseContext;
import ru.serce.jnrfuse.struct.FuseFileInfo;
import ru.serce.jnrfuse.struct.Statvfs;
import ru.serce.jnrfuse.struct.Timespec;

/**
 * The jnr-fuse (libfuse2 high-level API) face of the engine. Each callback is one call into {@link Overlay}
 * through {@link FuseCall}, which turns failures into -errno. Callbacks not overridden stay unregistered, so
 * libfuse or the kernel gives their default: flush and opendir need no round trip, lock and flock are kept by
 * the kernel, fallocate is EOPNOTSUPP. The callbacks of every stat and read (getattr, fgetattr, getxattr, read,
 * write) take libfuse's addresses directly instead of jnr-fuse's wrappers: see {@link RawCallbacks}.
 * <p>
 * Paths may be null for operations on a file handle after its name was unlinked (hard_remove +
 * flag_nullpath_ok); those callbacks use only the handle.
 */
public class OverlayFuse extends FuseStubFS {
    /** Where the flag bits of struct fuse_operations sit: after the 38 function pointers of libfuse 2.9. */
    static final int FLAG_WORD_SLOT = 38;
    private static final int FLAG_NULLPATH_OK = 1;
    private static final int FLAG_UTIME_OMIT_OK = 1 << 2;

    private final Overlay engine;
    private final FuseCall call;
    private final Callers callers;
    /** The per-request callbacks libfuse calls by address; see {@link RawCallbacks}. */
    private final RawCallbacks raw;

    /** Who issued the current request, as the owner for new objects. */
    public interface Callers {
        Caller current();
    }

    /**
     * A root daemon gives new objects to the caller, as the kernel overlay does; anyone else can only create
     * them as itself, so "self" avoids a chown that could only fail.
     */
    public OverlayFuse(Overlay engine, boolean root, boolean debug, PrintStream err) {
        this(engine, null, root, debug, err);
    }

    /** For tests that replay callbacks without a mount (no libfuse context to ask). */
    OverlayFuse(Overlay engine, Callers callers, boolean debug, PrintStream err) {
        this(engine, callers, false, debug, err);
    }

    private OverlayFuse(Overlay engine, Callers callers, boolean root, boolean debug, PrintStream err) {
        this.engine = engine;
        this.callers = callers != null ? callers : root ? this::contextCaller : () -> Caller.SELF;
        this.call = new FuseCall(debug ? OpLog.to(err) : OpLog.NONE, err);
        // nullpath_ok: I/O on a file whose name is gone still works (the kernel keeps it open); utime_omit_ok:
        // UTIME_NOW/OMIT reach utimens, else libfuse2 drops a change of only atime or only mtime (touch -m)
        Pointer ops = Struct.getMemory(fuseOperations);
        int at = FLAG_WORD_SLOT * ops.getRuntime().addressSize();
        ops.putInt(at, ops.getInt(at) | FLAG_NULLPATH_OK | FLAG_UTIME_OMIT_OK);
        raw = RawCallbacks.install(this, fuseOperations);
    }

    /** The uid and gid of the process making the current request, from libfuse's per-thread context. */
    private Caller contextCaller() {
        FuseContext c = getContext();
        int uid = (int) c.uid.get();
        int gid = (int) c.gid.get();
        return uid == 0 && gid == 0 ? Caller.SELF : new Caller(uid, gid);
    }

    private static RelPath rel(String path) throws FsException {
        return RelPath.of(path);
    }

    /** libfuse's struct fuse_operations as jnr-fuse fills it, for a test of the flag-bit layout. */
    Struct operations() {
        return fuseOperations;
    }

    int unexpectedErrors() {
        return call.unexpectedErrors();
    }

    @Override
    protected String getFSName() {
        return "jovl";
    }

    /**
     * Unmounting belongs to whoever started the mount (it knows the mount ID and whether it is root). jnr-fuse
     * calls this from its own exit hook and would run "fusermount -u -z" blindly; here it only forgets.
     */
    @Override
    public void umount() {
        mounted.set(false);
    }

    /** Also what libfuse2 calls for each LOOKUP. Path and struct stat by address: see {@link RawCallbacks}. */
    int getattr(long path, long stat) {
        return call.run("getattr", path, p -> RawMemory.putStat(engine.getattr(rel(p)), stat));
    }

    int fgetattr(long path, long stat, long fi) {
        return call.run("fgetattr", path, p -> RawMemory.putStat(engine.fgetattr(RawMemory.fh(fi)), stat));
    }

    @Override
    public int readlink(String path, Pointer buf, long size) {
        return call.run("readlink", path, () -> ReplyBytes.link(engine.readlink(rel(path)), buf, size));
    }

    @Override
    public int readdir(String path, Pointer buf, FuseFillDir filler, long offset, FuseFileInfo fi) {
        return call.run("readdir", path, () -> DirFill.fill(engine.readdir(rel(path)), buf, filler));
    }

    @Override
    public int open(String path, FuseFileInfo fi) {
        return call.run("open", path, () -> fi.fh.set(engine.open(rel(path), fi.flags.get())));
    }

    @Override
    public int create(String path, long mode, FuseFileInfo fi) {
        return call.run("create", path,
                () -> fi.fh.set(engine.create(callers.current(), rel(path), (int) mode, fi.flags.get())));
    }

    /** Straight between the layer's fd and libfuse's buffer: no copy through the Java heap. */
    int read(long path, long buf, long size, long offset, long fi) {
        return call.count("read", path, p -> engine.read(RawMemory.fh(fi), buf, (int) size, offset));
    }

    int write(long path, long buf, long size, long offset, long fi) {
        return call.count("write", path, p -> engine.write(RawMemory.fh(fi), buf, (int) size, offset));
    }

    @Override
    public int ftruncate(String path, long size, FuseFileInfo fi) {
        return call.run("ftruncate", path, () -> engine.ftruncate(fi.fh.get(), size));
    }

    @Override
    public int fsync(String path, int isdatasync, FuseFileInfo fi) {
        return call.run("fsync", path, () -> engine.fsync(fi.fh.get(), isdatasync != 0));
    }

    @Override
    public int release(String path, FuseFileInfo fi) {
        return call.run("release", path, () -> engine.release(fi.fh.get()));
    }

    @Override
    public int mkdir(String path, long mode) {
        return call.run("mkdir", path, () -> engine.mkdir(callers.current(), rel(path), (int) mode));
    }

    @Override
    public int mknod(String path, long mode, long rdev) {
        return call.run("mknod", path, () -> engine.mknod(callers.current(), rel(path), (int) mode, rdev));
    }

    @Override
    public int symlink(String target, String link) {
        return call.run("symlink", link, () -> engine.symlink(callers.current(), target, rel(link)));
    }

    @Override
    public int link(String from, String to) {
        return call.run("link", from, () -> engine.link(rel(from), rel(to)));
    }

    @Override
    public int unlink(String path) {
        return call.run("unlink", path, () -> engine.unlink(rel(path)));
    }

    @Override
    public int rmdir(String path) {
        return call.run("rmdir", path, () -> engine.rmdir(rel(path)));
    }

    /** libfuse2 has no rename flags: RENAME_NOREPLACE/EXCHANGE from renameat2(2) get EINVAL from the kernel. */
    @Override
    public int rename(String from, String to) {
        return call.run("rename", from, () -> engine.rename(rel(from), rel(to), 0));
    }

    @Override
    public int chmod(String path, long mode) {
        return call.run("chmod", path, () -> engine.chmod(rel(path), (int) mode & 07777));
    }

    /** uid_t/gid_t arrive unsigned; (int) turns "leave unchanged" (0xffffffff) into the engine's -1. */
    @Override
    public int chown(String path, long uid, long gid) {
        return call.run("chown", path, () -> engine.chown(rel(path), (int) uid, (int) gid));
    }

    @Override
    public int truncate(String path, long size) {
        return call.run("truncate", path, () -> engine.truncate(rel(path), size));
    }

    @Override
    public int utimens(String path, Timespec[] ts) {
        return call.run("utimens", path, () -> engine.utimens(rel(path), ts[0].tv_sec.get(),
                ts[0].tv_nsec.longValue(), ts[1].tv_sec.get(), ts[1].tv_nsec.longValue()));
    }

    int getxattr(long path, long name, long value, long size) {
        return call.count("getxattr", path,
                p -> ReplyBytes.xattr(engine.getxattr(rel(p), RawMemory.string(name)), value, size));
    }

    @Override
    public int listxattr(String path, Pointer list, long size) {
        return call.count("listxattr", path,
                () -> ReplyBytes.xattr(ReplyBytes.nameList(engine.listxattr(rel(path))), list, size));
    }

    @Override
    public int setxattr(String path, String name, Pointer value, long size, int flags) {
        return call.run("setxattr", path,
                () -> engine.setxattr(rel(path), name, ReplyBytes.read(value, size), flags));
    }

    @Override
    public int removexattr(String path, String name) {
        return call.run("removexattr", path, () -> engine.removexattr(rel(path), name));
    }

    @Override
    public int statfs(String path, Statvfs stbuf) {
        return call.run("statfs", path, () -> StatCopy.into(engine.statfs(), stbuf));
    }

    /** Only asked without default_permissions: existence, and EROFS for W_OK on a read-only overlay. */
    @Override
    public int access(String path, int mask) {
        return call.run("access", path, () -> engine.access(rel(path), mask));
    }
}
