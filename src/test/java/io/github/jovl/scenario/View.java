package io.github.jovl.scenario;

import io.github.jovl.fs.DirEntry;
import io.github.jovl.fs.FsException;
import io.github.jovl.fs.Stat;
import java.util.List;

/**
 * Read access to a tree: what a {@link Tree} snapshot needs. A merged view ({@link Driver}) is one; a plain host
 * directory ({@link HostView}, for the raw upper and lowers) is another. Paths are relative, "" is the root.
 */
public interface View {
    Stat lstat(String path) throws FsException;

    /** The listing with "." and ".." as a real getdents returns them. */
    List<DirEntry> readdir(String path) throws FsException;

    String readlink(String path) throws FsException;

    /** The whole content of a regular file, opened read-only. */
    byte[] read(String path) throws FsException;

    /** ENODATA when absent. */
    byte[] getxattr(String path, String name) throws FsException;

    List<String> listxattr(String path) throws FsException;
}
