package io.github.jovl.cli;

import io.github.jovl.config.MountOptions;
import io.github.jovl.fuse.FuseArgs;
import io.github.jovl.fuse.OverlayFuse;
import io.github.jovl.mount.MountRecords;
import io.github.jovl.mount.MountTable;
import io.github.jovl.mount.Unmounter;
import io.github.jovl.union.Overlay;
import io.github.jovl.union.OverlayEvents;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import jnr.ffi.Memory;
import jnr.ffi.Pointer;
import jnr.ffi.Runtime;
import ru.serce.jnrfuse.FuseFillDir;
import ru.serce.jnrfuse.struct.FileStat;
import ru.serce.jnrfuse.struct.FuseFileInfo;

/**
 * The training run for the launcher's class-data-sharing archive (`JOVL_CDS=make jovl`, which the build runs):
 * started with -XX:DumpLoadedClassList, it goes through what `jovl mount --backend=fuse` does in its two JVMs,
 * short of the kernel mount, so that the classes of that path are the ones the archive holds. It needs no FUSE
 * device and no root and writes only in a temporary directory (and the mount record in $JOVL_RUNTIME_DIR, only
 * if that is set); without libfuse2, jnr-fuse's classes stay out.
 */
final class CdsTraining {
    private CdsTraining() {
    }

    public static void main(String[] args) throws Exception {
        Path tmp = Files.createTempDirectory("jovl-cds-training-");
        try {
            train(tmp);
        } finally {
            try (Stream<Path> all = Files.walk(tmp)) {
                for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    private static void train(Path tmp) throws Exception {
        Path lower = Files.createDirectories(tmp.resolve("lower"));
        Files.writeString(lower.resolve("file"), "lower\n");
        Files.createDirectories(lower.resolve("dir"));
        Path upper = Files.createDirectories(tmp.resolve("upper"));
        Path work = Files.createDirectories(tmp.resolve("work"));
        Path mnt = Files.createDirectories(tmp.resolve("mnt"));
        String opts = "lowerdir=" + lower + ",upperdir=" + upper + ",workdir=" + work;
        PrintStream quiet = new PrintStream(OutputStream.nullOutputStream(), true, StandardCharsets.UTF_8);

        // `jovl mount` as typed: options, backend, then a daemon JVM started and waited for. The daemon stops at
        // the mountpoint, which does not exist; it reports that through its ready-file, as any failure.
        String[] front = {"mount", "--backend=fuse", "-o", opts, tmp.resolve("missing").toString()};
        expectFailure(Main.run(front, quiet, quiet), front);

        // the daemon's own run up to the same point: picocli, the ready-file, the error path
        Path ready = tmp.resolve("ready");
        String[] daemon = {"mount", "-f", "--ready-file=" + ready, "--backend=fuse", "--timeout=30", "-o", opts,
            tmp.resolve("missing").toString()};
        expectFailure(Main.run(daemon, quiet, quiet), daemon);
        ReadyFile.read(ready);

        // and past it, what FuseMount.start does before and after libfuse mounts, in its order
        MountOptions o = MountOptions.parse(List.of(opts));
        boolean root = Unmounter.root();
        MountTable.read().idsAt(mnt);
        FuseArgs.of(o, root, true);
        try (Overlay engine = Overlay.open(o.overlayConfig(), OverlayEvents.NONE)) {
            serveFirstRequests(engine, root, quiet);
        }
        MountTable.read().top(mnt);
        Files.readAttributes(mnt, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        // the record `jovl mounts` reads, only where the caller says (never the real /run/jovl)
        if (System.getenv("JOVL_RUNTIME_DIR") != null) {
            MountOptions abs = o.absolute(tmp);
            MountRecords.save(new MountRecords.Record(mnt, "fuse", abs.lowers(), abs.upper(), abs.work(), -1));
            MountRecords.remove(mnt);
        }
        ReadyFile.ready(ready);
    }

    /** The adapter as libfuse calls it once mounted: the kernel's first getattr, then an ls and a cat. */
    private static void serveFirstRequests(Overlay engine, boolean root, PrintStream quiet) {
        OverlayFuse fs;
        try {
            fs = new OverlayFuse(engine, root, false, quiet);
        } catch (LinkageError | RuntimeException e) {
            System.err.println("jovl: CDS training: libfuse2 cannot be loaded (" + e + "); the archive will not"
                    + " hold jnr-fuse's classes");
            return;
        }
        Runtime rt = Runtime.getSystemRuntime();
        FileStat st = FileStat.of(Memory.allocateDirect(rt, 256, true));
        fs.getattr("/", st);
        fs.getattr("/file", st);
        FuseFillDir filler = new FuseFillDir() {
            @Override
            public int apply(Pointer buf, ByteBuffer name, Pointer stbuf, long off) {
                return 0;
            }
        };
        FuseFileInfo fi = FuseFileInfo.of(Memory.allocateDirect(rt, 64, true));
        fs.readdir("/", null, filler, 0, fi);
        fi.flags.set(0);
        if (fs.open("/file", fi) == 0) {
            fs.read("/file", Memory.allocateDirect(rt, 4096, true), 4096, 0, fi);
            fs.release("/file", fi);
        }
    }

    private static void expectFailure(int exit, String[] args) throws IOException {
        if (exit != ExitCodes.FAILED) {
            throw new IOException("CDS training: `jovl " + String.join(" ", args) + "` exited " + exit
                    + ", not with the mountpoint error it should stop at");
        }
    }
}
