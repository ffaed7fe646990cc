package io.github.jovl.union;

import io.github.jovl.config.OverlayConfig;
import io.github.jovl.config.WhiteoutFormat;
import io.github.jovl.config.XattrNamespace;
import io.github.jovl.fs.Caller;
import io.github.jovl.fs.DirEntry;
import io.github.jovl.fs.Errno;
import io.github.jovl.fs.FileType;
import io.github.jovl.fs.FsException;
import io.github.jovl.fs.RelPath;
import io.github.jovl.fs.Stat;
import io.github.jovl.fs.StatFs;
import io.github.jovl.layer.FileIo;
import io.github.jovl.layer.Layer;
import io.github.jovl.whiteout.Markers;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * The union engine: the merged view of the layers of one {@link OverlayConfig}, with kernel overlayfs semantics.
 * Paths are relative to the merged root. Calls that only read share a lock; calls that change names, attributes
 * or layers take it alone, which also makes every copy-up happen once. Data I/O on open handles needs no lock.
 */
public final class Overlay implements AutoCloseable {
    private static final int O_ACCMODE = 3;
    private static final int O_CREAT = 0100;
    private static final int O_EXCL = 0200;
    private static final int O_NOCTTY = 0400;
    private static final int O_TRUNC = 01000;
    private static final int W_OK = 2;

    private final OverlayConfig config;
    private final Layer[] layers;
    private final boolean hasUpper;
    /** False for a read-only overlay and for an inspection of layers that a mount is using. */
    private final boolean writable;
    private final WorkDir work;
    private final Markers markers;
    private final Lookup lookup;
    private final MergedDir merged;
    private final OpenFiles files = new OpenFiles();
    private final CopyUp copyUp;
    private final DirOps dirOps;
    private final InodeOps inodeOps;
    private final Explain explain;
    private final Lock read;
    private final Lock write;

    private Overlay(OverlayConfig config, Layer[] layers, WorkDir work, Markers markers, OverlayEvents events)
            throws FsException {
        this.config = config;
        this.layers = layers;
        this.hasUpper = config.upper() != null;
        this.writable = work != null;
        this.work = work;
        this.markers = markers;
        LookupCache cache = new LookupCache(config.cache(), config.cacheSize());
        InodeMap inodes = new InodeMap(layers);
        String origin = markers.namespace().prefix() + "jovl.origin";
        this.lookup = new Lookup(layers, hasUpper, markers, cache, inodes, origin, events);
        this.merged = new MergedDir(layers, markers, cache, inodes, lookup);
        if (writable) {
            copyUp = new CopyUp(layers, work, lookup, cache, files, origin, config.syncCopyUp(), events, markers);
            dirOps = new DirOps(layers[0], work, markers, lookup, merged, copyUp, cache, files, FileIo.umask(),
                    FileIo.euid() == 0, events);
        } else {
            copyUp = null;
            dirOps = null;
        }
        inodeOps = new InodeOps(layers, lookup, copyUp, cache);
        explain = new Explain(layers, hasUpper, lookup, markers);
        ReentrantReadWriteLock rw = new ReentrantReadWriteLock();
        read = rw.readLock();
        write = rw.writeLock();
    }

    /** The kernel's mount-time checks alone, with one-sentence errors: for a kernel mount made without the engine. */
    public static void check(OverlayConfig config) throws FsException {
        StartupChecks.check(config);
    }

    /** Checks the configuration as the kernel does at mount time, empties the workdir and locks it. */
    public static Overlay open(OverlayConfig config) throws FsException {
        return open(config, OverlayEvents.NONE);
    }

    /** As {@link #open(OverlayConfig)}, reporting semantic events (copy-up, whiteouts...) to events. */
    public static Overlay open(OverlayConfig config, OverlayEvents events) throws FsException {
        StartupChecks.check(config);
        List<Layer> ls = new ArrayList<>();
        if (config.upper() != null) {
            ls.add(new Layer(config.upper().toAbsolutePath(), 0, true));
        }
        for (Path l : config.lowers()) {
            ls.add(new Layer(l.toAbsolutePath(), ls.size(), false));
        }
        Layer[] layers = ls.toArray(new Layer[0]);
        if (config.upper() == null) {
            return new Overlay(config, layers, null, new Markers(true, namespaceOrTrusted(config), true), events);
        }
        WorkDir work = new WorkDir(new Layer(config.work().toAbsolutePath(), -1, false));
        try {
            boolean chardev = switch (config.whiteout()) {
                case CHARDEV -> true;
                case WHFILE -> false;
                case AUTO -> work.canMakeChardevWhiteouts();
            };
            XattrNamespace ns = config.xattrNamespace();
            boolean xattrs = true;
            if (ns == XattrNamespace.AUTO) {
                ns = work.probeXattrNamespace();
                xattrs = ns != null;
                ns = ns == null ? XattrNamespace.USER : ns;
            }
            return new Overlay(config, layers, work, new Markers(chardev, ns, xattrs), events);
        } catch (FsException | RuntimeException e) {
            work.close();
            throw e;
        }
    }

    /**
     * Opens layers for reading only, including an upper that a running mount owns: nothing is locked, cleaned
     * or written, and every change fails with EROFS. For `jovl explain` and `jovl diff` on a live mount.
     */
    public static Overlay inspect(OverlayConfig config) throws FsException {
        List<Layer> ls = new ArrayList<>();
        if (config.upper() != null) {
            ls.add(new Layer(config.upper().toAbsolutePath(), 0, true));
        }
        for (Path l : config.lowers()) {
            ls.add(new Layer(l.toAbsolutePath(), ls.size(), false));
        }
        for (Layer l : ls) {
            if (l.lstat(RelPath.ROOT) == null) {
                throw FsException.withMessage(Errno.ENOENT, l.root().toString(), "layer " + l.root()
                        + " does not exist");
            }
        }
        return new Overlay(config, ls.toArray(new Layer[0]), null, new Markers(true, namespaceOrTrusted(config),
                true), OverlayEvents.NONE);
    }

    /** The namespace to read jovl's own marks in when no probe ran: as configured, else by who we are. */
    private static XattrNamespace namespaceOrTrusted(OverlayConfig c) {
        if (c.xattrNamespace() != XattrNamespace.AUTO) {
            return c.xattrNamespace();
        }
        return FileIo.euid() == 0 ? XattrNamespace.TRUSTED : XattrNamespace.USER;
    }

    public OverlayConfig config() {
        return config;
    }

    /** The whiteout form this engine writes (AUTO resolved). */
    public WhiteoutFormat whiteoutFormat() {
        return markers.chardevWhiteouts() ? WhiteoutFormat.CHARDEV : WhiteoutFormat.WHFILE;
    }

    /** The namespace of the opaque xattr this engine writes (AUTO resolved). */
    public XattrNamespace xattrNamespace() {
        return markers.namespace();
    }

    public boolean readOnly() {
        return !writable;
    }

    private interface Call<T> {
        T run() throws FsException;
    }

    private interface Action {
        void run() throws FsException;
    }

    private <T> T reading(Call<T> c) throws FsException {
        read.lock();
        try {
            return c.run();
        } finally {
            read.unlock();
        }
    }

    /**
     * Runs a change under the exclusive lock. On a read-only overlay it fails with EROFS, but only after the
     * checks the VFS makes first (ENOENT of what must exist, EEXIST of what would be created), so errors come in
     * the kernel's order.
     */
    private <T> T changing(ReadOnlyOrder order, Call<T> c) throws FsException {
        if (!writable) {
            reading(() -> {
                order.check();
                return null;
            });
            throw new FsException(Errno.EROFS, null, "the overlay has no upperdir");
        }
        write.lock();
        try {
            return c.run();
        } finally {
            write.unlock();
        }
    }

    /** What the VFS checks before it asks whether the filesystem is writable. */
    private interface ReadOnlyOrder {
        void check() throws FsException;
    }

    /** The object must exist (chmod, truncate, open for write...). */
    private ReadOnlyOrder existing(RelPath p) {
        return () -> lookup.get(p);
    }

    /** The parent must be a directory and the name free (mkdir, mknod, symlink, O_EXCL). */
    private ReadOnlyOrder creatable(RelPath p) {
        return () -> {
            lookup.getDir(p.parent());
            if (lookup.find(p) != null) {
                throw FsException.of(Errno.EEXIST, p);
            }
        };
    }

    /** Only the parent is resolved before EROFS (unlink, rmdir, rename: mnt_want_write precedes the lookup). */
    private ReadOnlyOrder parentOf(RelPath p) {
        return () -> lookup.getDir(p.parent());
    }

    private void change(ReadOnlyOrder order, Action a) throws FsException {
        changing(order, () -> {
            a.run();
            return null;
        });
    }

    /** Which layer serves p, and why every other layer does or does not show there (`jovl explain`). */
    public Explanation explain(RelPath p) throws FsException {
        return reading(() -> explain.explain(p));
    }

    public Stat getattr(RelPath p) throws FsException {
        return reading(() -> inodeOps.getattr(p));
    }

    /** The merged listing, with "." and ".." first. */
    public List<DirEntry> readdir(RelPath dir) throws FsException {
        return reading(() -> {
            Node n = lookup.getDir(dir);
            Node parent = dir.isRoot() ? n : lookup.get(dir.parent());
            List<DirEntry> names = merged.list(n);
            List<DirEntry> out = new ArrayList<>(names.size() + 2);
            out.add(new DirEntry(".", FileType.DIRECTORY, n.ino()));
            out.add(new DirEntry("..", FileType.DIRECTORY, parent.ino()));
            out.addAll(names);
            return out;
        });
    }

    public String readlink(RelPath p) throws FsException {
        return reading(() -> {
            Node n = lookup.get(p);
            if (!n.stat().isSymlink()) {
                throw FsException.of(Errno.EINVAL, p);
            }
            return layers[n.layer()].readlink(p);
        });
    }

    /** Opens an existing file. Opening for write or with O_TRUNC copies it up first. */
    public long open(RelPath p, int flags) throws FsException {
        if (!writes(flags)) {
            return reading(() -> openAt(lookup.get(p), flags));
        }
        if (writable) {
            // already in the upper: nothing to copy, so writers need not queue behind the exclusive lock
            long fh = reading(() -> {
                Node n = lookup.get(p);
                return n.layer() == 0 && !n.isDir() ? openAt(n, flags) : -1L;
            });
            if (fh >= 0) {
                return fh;
            }
        }
        return changing(existing(p), () -> openForWrite(p, flags));
    }

    private static boolean writes(int flags) {
        return (flags & O_ACCMODE) != 0 || (flags & O_TRUNC) != 0;
    }

    private long openForWrite(RelPath p, int flags) throws FsException {
        Node n = lookup.get(p);
        if (n.isDir()) {
            throw FsException.of(Errno.EISDIR, p);
        }
        if (n.stat().isSymlink()) {
            throw FsException.of(Errno.ELOOP, p); // as O_NOFOLLOW, and before any copy-up
        }
        return openAt(copyUp.ensureUpper(n, (flags & O_TRUNC) == 0), flags);
    }

    private long openAt(Node n, int flags) throws FsException {
        int fd = layers[n.layer()].open(n.path(), flags & ~(O_CREAT | O_EXCL | O_NOCTTY), 0);
        return files.add(n.path(), fd, n.layer(), flags, n.ino());
    }

    /** Creates and opens a regular file; an existing one is opened unless O_EXCL is given. */
    public long create(Caller c, RelPath p, int mode, int flags) throws FsException {
        ReadOnlyOrder order = (flags & O_EXCL) != 0 ? creatable(p) : () -> {
            lookup.getDir(p.parent());
            if (lookup.find(p) != null) {
                lookup.get(p);
            }
        };
        return changing(order, () -> {
            lookup.getDir(p.parent());
            if (lookup.find(p) != null) {
                if ((flags & O_EXCL) != 0) {
                    throw FsException.of(Errno.EEXIST, p);
                }
                return writes(flags) ? openForWrite(p, flags) : openAt(lookup.get(p), flags);
            }
            int access = flags & (O_ACCMODE | 02000);
            int fd = dirOps.create(c, p, mode, false, (l, at) -> l.open(at, O_CREAT | O_EXCL | access, mode & 07777));
            return files.add(p, fd, 0, flags, lookup.get(p).ino());
        });
    }

    public int read(long fh, byte[] buf, int len, long off) throws FsException {
        return FileIo.read(files.get(fh).fd, buf, len, off);
    }

    public int write(long fh, byte[] buf, int len, long off) throws FsException {
        return FileIo.write(files.get(fh).fd, buf, len, off);
    }

    /** Reads into native memory, such as the FUSE buffer, with no copy through the Java heap. */
    public int read(long fh, long address, int len, long off) throws FsException {
        return FileIo.read(files.get(fh).fd, address, len, off);
    }

    public int write(long fh, long address, int len, long off) throws FsException {
        return FileIo.write(files.get(fh).fd, address, len, off);
    }

    public Stat fgetattr(long fh) throws FsException {
        OpenFiles.Handle h = files.get(fh);
        return FileIo.stat(h.fd).withIno(h.ino);
    }

    public void ftruncate(long fh, long size) throws FsException {
        FileIo.truncate(files.get(fh).fd, size);
    }

    public void fsync(long fh, boolean dataOnly) throws FsException {
        FileIo.sync(files.get(fh).fd, dataOnly);
    }

    public void release(long fh) {
        files.release(fh);
    }

    public void mkdir(Caller c, RelPath p, int mode) throws FsException {
        change(creatable(p), () -> {
            lookup.getDir(p.parent());
            dirOps.create(c, p, mode, true, (l, at) -> {
                l.mkdir(at, mode & 07777);
                return -1;
            });
        });
    }

    /** Creates a fifo, socket, regular file or (where permitted) a device; mode carries the file type. */
    public void mknod(Caller c, RelPath p, int mode, long rdev) throws FsException {
        change(creatable(p), () -> {
            lookup.getDir(p.parent());
            if ((mode & FileType.S_IFMT) == FileType.DIRECTORY.bits) {
                throw FsException.of(Errno.EINVAL, p);
            }
            if ((mode & FileType.S_IFMT) == FileType.CHAR.bits && rdev == 0) {
                throw FsException.of(Errno.EPERM, p); // that is a whiteout; the kernel refuses it too
            }
            dirOps.create(c, p, mode, false, (l, at) -> {
                l.mknod(at, mode, rdev);
                return -1;
            });
        });
    }

    public void symlink(Caller c, String target, RelPath link) throws FsException {
        change(creatable(link), () -> {
            lookup.getDir(link.parent());
            dirOps.create(c, link, -1, false, (l, at) -> {
                l.symlink(target, at);
                return -1;
            });
        });
    }

    public void link(RelPath from, RelPath to) throws FsException {
        change(() -> {
            lookup.get(from);
            creatable(to).check();
        }, () -> dirOps.link(from, to));
    }

    public void unlink(RelPath p) throws FsException {
        change(parentOf(p), () -> dirOps.unlink(p));
    }

    public void rmdir(RelPath p) throws FsException {
        change(parentOf(p), () -> dirOps.rmdir(p));
    }

    /** flags: 0, RENAME_NOREPLACE (1) or RENAME_EXCHANGE (2), as renameat2(2). */
    public void rename(RelPath from, RelPath to, int flags) throws FsException {
        change(() -> {
            lookup.getDir(from.parent());
            lookup.getDir(to.parent());
        }, () -> dirOps.rename(from, to, flags));
    }

    public void chmod(RelPath p, int mode) throws FsException {
        change(existing(p), () -> inodeOps.chmod(p, mode));
    }

    /** -1 leaves the uid or gid as it is. */
    public void chown(RelPath p, int uid, int gid) throws FsException {
        change(existing(p), () -> inodeOps.chown(p, uid, gid));
    }

    public void truncate(RelPath p, long size) throws FsException {
        change(existing(p), () -> inodeOps.truncate(p, size));
    }

    /** Sets atime and mtime; a nanosecond field may be {@code Utime.NOW} or {@code Utime.OMIT}. */
    public void utimens(RelPath p, long aSec, long aNsec, long mSec, long mNsec) throws FsException {
        change(existing(p), () -> inodeOps.utimens(p, aSec, aNsec, mSec, mNsec));
    }

    public byte[] getxattr(RelPath p, String name) throws FsException {
        return reading(() -> inodeOps.getxattr(p, name));
    }

    public List<String> listxattr(RelPath p) throws FsException {
        return reading(() -> inodeOps.listxattr(p));
    }

    public void setxattr(RelPath p, String name, byte[] value, int flags) throws FsException {
        change(existing(p), () -> inodeOps.setxattr(p, name, value, flags));
    }

    public void removexattr(RelPath p, String name) throws FsException {
        change(existing(p), () -> inodeOps.removexattr(p, name));
    }

    /** The upper's filesystem, or the top lower's on a read-only overlay, as the kernel reports. */
    public StatFs statfs() throws FsException {
        return layers[0].statfs();
    }

    /** Existence, and EROFS for W_OK on a read-only overlay; permission bits are left to the kernel. */
    public void access(RelPath p, int mask) throws FsException {
        reading(() -> {
            lookup.get(p);
            if ((mask & W_OK) != 0 && !writable) {
                throw FsException.of(Errno.EROFS, p);
            }
            return null;
        });
    }

    @Override
    public void close() {
        files.closeAll();
        if (work != null) {
            work.close();
        }
    }
}
