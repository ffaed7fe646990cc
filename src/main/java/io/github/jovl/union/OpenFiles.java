package io.github.jovl.union;

import io.github.jovl.fs.Errno;
import io.github.jovl.fs.FsException;
import io.github.jovl.fs.RelPath;
import io.github.jovl.layer.FileIo;
import io.github.jovl.layer.Layer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The open-file table (the kernel's file.c). A handle opened read-only on a lower file is switched to the upper
 * copy when the file is copied up, so every reader sees the data writers produce, as on the kernel since 4.19.
 * The old descriptor is kept open until release, because another thread may be reading from it right now.
 */
final class OpenFiles {
    static final class Handle {
        volatile RelPath path;
        volatile int fd;
        volatile int layer;
        final int flags;
        final long ino;
        private final List<Integer> retired = new ArrayList<>();

        Handle(RelPath path, int fd, int layer, int flags, long ino) {
            this.path = path;
            this.fd = fd;
            this.layer = layer;
            this.flags = flags;
            this.ino = ino;
        }

        synchronized void switchTo(int newFd, int newLayer) {
            retired.add(fd);
            fd = newFd;
            layer = newLayer;
        }

        synchronized void closeAll() {
            FileIo.close(fd);
            retired.forEach(FileIo::close);
            retired.clear();
        }
    }

    private final Map<Long, Handle> handles = new ConcurrentHashMap<>();
    private final AtomicLong next = new AtomicLong(1);

    long add(RelPath path, int fd, int layer, int flags, long ino) {
        long fh = next.getAndIncrement();
        handles.put(fh, new Handle(path, fd, layer, flags, ino));
        return fh;
    }

    Handle get(long fh) throws FsException {
        Handle h = handles.get(fh);
        if (h == null) {
            throw new FsException(Errno.EBADF, "handle " + fh);
        }
        return h;
    }

    void release(long fh) {
        Handle h = handles.remove(fh);
        if (h != null) {
            h.closeAll();
        }
    }

    /** Points the lower handles of p at its new upper copy. */
    void copiedUp(RelPath p, Layer upper) throws FsException {
        for (Handle h : handles.values()) {
            if (h.layer != 0 && h.path.equals(p)) {
                h.switchTo(upper.open(p, io.github.jovl.sys.Native.O_RDONLY, 0), 0);
            }
        }
    }

    void renamed(RelPath from, RelPath to) throws FsException {
        for (Handle h : handles.values()) {
            RelPath p = h.path;
            if (p.startsWith(from)) {
                RelPath moved = to;
                for (String n : p.names().subList(from.depth(), p.depth())) {
                    moved = moved.child(n);
                }
                h.path = moved;
            }
        }
    }

    void closeAll() {
        handles.values().forEach(Handle::closeAll);
        handles.clear();
    }
}
