package io.github.jovl.fs;

/** The file types of st_mode, with their S_IFMT bits and readdir d_type values. */
public enum FileType {
    FIFO(0010000, 1), CHAR(0020000, 2), DIRECTORY(0040000, 4), BLOCK(0060000, 6), REGULAR(0100000, 8),
    SYMLINK(0120000, 10), SOCKET(0140000, 12);

    public static final int S_IFMT = 0170000;
    public final int bits;
    public final int dtype;

    FileType(int bits, int dtype) {
        this.bits = bits;
        this.dtype = dtype;
    }

    public static FileType ofMode(int mode) {
        int fmt = mode & S_IFMT;
        for (FileType t : values()) {
            if (t.bits == fmt) {
                return t;
            }
        }
        throw new IllegalArgumentException("unknown file type in mode " + Integer.toOctalString(mode));
    }

    public static FileType ofDtype(int dtype) {
        for (FileType t : values()) {
            if (t.dtype == dtype) {
                return t;
            }
        }
        return null;
    }
}
