package io.github.jovl.union;

import io.github.jovl.config.XattrNamespace;
import io.github.jovl.fs.DirEntry;
import io.github.jovl.fs.Errno;
import io.github.jovl.fs.FileType;
import io.github.jovl.fs.FsException;
import io.github.jovl.fs.RelPath;
import io.github.jovl.fs.Stat;
import io.github.jovl.layer.FileIo;
import io.github.jovl.layer.Layer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The workdir: where copy-ups and whiteouts are built before an atomic rename puts them in the upper. It is
 * locked for the life of the engine, and emptied at start, so a crash leaves nothing that is ever seen.
 */
final class WorkDir implements AutoCloseable {
    static final String WORK = "work";
    private final Layer layer;
    private final RelPath work;
    private final AtomicLong counter = new AtomicLong();
    private int lockFd;

    WorkDir(Layer workdirRoot) throws FsException {
        this.layer = workdirRoot;
        this.work = RelPath.ROOT.child(WORK);
        lockFd = FileIo.lockDir(layer.abs(RelPath.ROOT));
        if (lockFd < 0) {
            throw FsException.withMessage(Errno.EBUSY, layer.root().toString(), "workdir " + layer.root()
                    + " is in use by another jovl mount; give each mount its own workdir");
        }
        Stat st = layer.lstat(work);
        if (st != null && !st.isDir()) {
            layer.unlink(work);
            st = null;
        }
        if (st == null) {
            layer.mkdir(work, 0700);
        } else {
            clean();
        }
    }

    Layer layer() {
        return layer;
    }

    /** A fresh name inside workdir/work for something under construction. */
    RelPath temp() throws FsException {
        return work.child("#jovl." + Long.toHexString(counter.incrementAndGet()));
    }

    /** Removes what an earlier run left half built. */
    void clean() throws FsException {
        for (DirEntry e : layer.list(work)) {
            removeTree(work.child(e.name()));
        }
    }

    void removeTree(RelPath p) throws FsException {
        Stat st = layer.lstat(p);
        if (st == null) {
            return;
        }
        if (st.isDir()) {
            for (DirEntry e : layer.list(p)) {
                removeTree(p.child(e.name()));
            }
            layer.rmdir(p);
        } else {
            layer.unlink(p);
        }
    }

    /** Whether this process may make 0/0 char devices here (mknod needs CAP_MKNOD, or Linux 5.8+ for 0/0). */
    boolean canMakeChardevWhiteouts() {
        try {
            RelPath t = temp();
            layer.mknod(t, FileType.CHAR.bits, 0);
            layer.unlink(t);
            return true;
        } catch (FsException e) {
            return false;
        }
    }

    /** The namespace the upper's filesystem lets us write overlay xattrs in: trusted (root), else user, else none. */
    XattrNamespace probeXattrNamespace() throws FsException {
        RelPath t = temp();
        layer.mkdir(t, 0700);
        try {
            for (XattrNamespace ns : new XattrNamespace[] {XattrNamespace.TRUSTED, XattrNamespace.USER}) {
                try {
                    layer.setxattr(t, ns.prefix() + "opaque", "y".getBytes(StandardCharsets.US_ASCII), 0);
                    return ns;
                } catch (FsException e) {
                    // not permitted or not supported here: try the next namespace
                }
            }
            return null;
        } finally {
            layer.rmdir(t);
        }
    }

    @Override
    public void close() {
        if (lockFd >= 0) {
            FileIo.close(lockFd);
            lockFd = -1;
        }
    }
}
