package io.github.jovl.fs;

/** One name of a directory listing, with its d_type and, where known, its inode number. */
public record DirEntry(String name, FileType type, long ino) {
}
