package io.github.jovl.fuse;

import io.github.jovl.fs.Errno;
import io.github.jovl.fs.FsException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import jnr.ffi.Pointer;

/** Byte replies into buffers libfuse owns: readlink's NUL-terminated target, and the xattr size protocol. */
final class ReplyBytes {
    private ReplyBytes() {
    }

    /** readlink: as much of the target as fits, always NUL-terminated (libfuse2's contract). */
    static void link(String target, Pointer buf, long size) {
        if (size <= 0) {
            return;
        }
        byte[] b = target.getBytes(StandardCharsets.UTF_8);
        int n = (int) Math.min(b.length, size - 1);
        buf.put(0, b, 0, n);
        buf.putByte(n, (byte) 0);
    }

    /**
     * getxattr/listxattr: size 0 asks only for the length; a buffer too small is ERANGE, as getxattr(2) says,
     * so the caller retries with the size we report.
     */
    static int xattr(byte[] value, Pointer buf, long size) throws FsException {
        if (size == 0) {
            return value.length;
        }
        if (value.length > size) {
            throw new FsException(Errno.ERANGE, null, value.length + " bytes do not fit in " + size);
        }
        buf.put(0, value, 0, value.length);
        return value.length;
    }

    /** As above, into libfuse's buffer at an address. */
    static int xattr(byte[] value, long buf, long size) throws FsException {
        if (size == 0) {
            return value.length;
        }
        if (value.length > size) {
            throw new FsException(Errno.ERANGE, null, value.length + " bytes do not fit in " + size);
        }
        RawMemory.putBytes(buf, value);
        return value.length;
    }

    /** The listxattr form: each name followed by a NUL. */
    static byte[] nameList(List<String> names) {
        int len = 0;
        byte[][] each = new byte[names.size()][];
        for (int i = 0; i < each.length; i++) {
            each[i] = names.get(i).getBytes(StandardCharsets.UTF_8);
            len += each[i].length + 1;
        }
        byte[] out = new byte[len];
        int at = 0;
        for (byte[] n : each) {
            System.arraycopy(n, 0, out, at, n.length);
            at += n.length + 1;
        }
        return out;
    }

    static byte[] read(Pointer buf, long size) {
        byte[] b = new byte[(int) size];
        buf.get(0, b, 0, b.length);
        return b;
    }
}
