package io.github.jovl.fs;

/** struct statvfs as statfs reports it. */
public record StatFs(long bsize, long frsize, long blocks, long bfree, long bavail, long files, long ffree,
                     long namemax) {
}
