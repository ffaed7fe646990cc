package io.github.jovl.fuse;

import jnr.ffi.Pointer;
import jnr.ffi.Runtime;
import jnr.ffi.Struct;
import jnr.ffi.annotations.Delegate;
import jnr.ffi.provider.ClosureManager;
import ru.serce.jnrfuse.struct.FuseOperations;

/**
 * The callbacks of every request of a `stat` or a read, registered with plain addresses in place of jnr-fuse's
 * wrappers (which build jnr Structs and decode Strings per call, see {@link RawMemory}). Each takes the C
 * signature of libfuse 2.9's struct fuse_operations, pointers as longs.
 */
public final class RawCallbacks {
    public interface Getattr {
        @Delegate
        int getattr(long path, long stat);
    }

    public interface Fgetattr {
        @Delegate
        int fgetattr(long path, long stat, long fi);
    }

    public interface Getxattr {
        @Delegate
        int getxattr(long path, long name, long value, long size);
    }

    public interface Read {
        @Delegate
        int read(long path, long buf, long size, long offset, long fi);
    }

    public interface Write {
        @Delegate
        int write(long path, long buf, long size, long offset, long fi);
    }

    /** The closures, referenced here for as long as libfuse may call them. */
    private final Object[] live;

    private RawCallbacks(Object... live) {
        this.live = live;
    }

    /** Replaces jnr-fuse's wrappers for these operations in ops with direct calls into fs. */
    static RawCallbacks install(OverlayFuse fs, FuseOperations ops) {
        Getattr getattr = fs::getattr;
        Fgetattr fgetattr = fs::fgetattr;
        Getxattr getxattr = fs::getxattr;
        Read read = fs::read;
        Write write = fs::write;
        Pointer mem = Struct.getMemory(ops);
        ClosureManager closures = Runtime.getSystemRuntime().getClosureManager();
        // the closure objects and their native stubs are kept for as long as libfuse may call them
        Object[] live = {getattr, fgetattr, getxattr, read, write,
            set(mem, ops.getattr.offset(), closures.getClosurePointer(Getattr.class, getattr)),
            set(mem, ops.fgetattr.offset(), closures.getClosurePointer(Fgetattr.class, fgetattr)),
            set(mem, ops.getxattr.offset(), closures.getClosurePointer(Getxattr.class, getxattr)),
            set(mem, ops.read.offset(), closures.getClosurePointer(Read.class, read)),
            set(mem, ops.write.offset(), closures.getClosurePointer(Write.class, write))};
        return new RawCallbacks(live);
    }

    private static Pointer set(Pointer ops, long offset, Pointer closure) {
        ops.putPointer(offset, closure);
        return closure;
    }

    int size() {
        return live.length;
    }
}
