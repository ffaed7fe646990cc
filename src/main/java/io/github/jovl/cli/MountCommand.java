package io.github.jovl.cli;

import io.github.jovl.config.MountOptions;
import io.github.jovl.fs.Errno;
import io.github.jovl.fs.FsException;
import io.github.jovl.mount.Backend;
import io.github.jovl.mount.BackendChoice;
import io.github.jovl.mount.KernelMount;
import io.github.jovl.mount.MountHandle;
import io.github.jovl.mount.MountSettings;
import io.github.jovl.mount.Mounter;
import io.github.jovl.union.OverlayEvents;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "mount", mixinStandardHelpOptions = true, sortOptions = false,
        versionProvider = Version.class,
        headerHeading = "%n", synopsisHeading = "Usage: ",
        header = "Mount an overlay of directories: kernel overlayfs where it can be used, else jovl's FUSE daemon.",
        description = {
            "",
            "Shows the union of the lower directories (read-only, the first one on top) and the upper directory"
                + " (where every change goes) at MOUNTPOINT. Lower files are copied up to the upper when first"
                + " changed; deletions leave whiteouts in the upper. The options are those of the kernel's"
                + " overlay and of fuse-overlayfs, so jovl can stand in for either.",
            "",
            "With --backend=auto (the default) jovl mounts kernel overlayfs itself when this process may (root,"
                + " or a user namespace with userxattr) and the options allow it, and otherwise says in one line"
                + " why not and serves the mount with its FUSE daemon.",
            "",
            "Returns once the mount is usable; a FUSE daemon keeps serving it until `jovl umount MOUNTPOINT`"
                + " (or fusermount3 -u, umount, or SIGTERM to the daemon).",
            ""},
        optionListHeading = "Options:%n",
        footerHeading = "%nMount options (-o, comma-separated, may be repeated):%n",
        footer = {
            "  lowerdir=L1:L2:...  lower layers, top-most first; in a name write ':' ','",
            "                      and '\\' as '\\:' '\\,' and '\\\\'",
            "  upperdir=U          where changes go; without it the overlay is",
            "                      read-only (and needs at least two lowers)",
            "  workdir=W           an empty directory on U's filesystem",
            "  userxattr           overlay markers in user.overlay.* (as an",
            "                      unprivileged kernel mount reads them)",
            "  volatile            no fsync of copied-up files (faster; a crash may",
            "                      lose recent changes)",
            "  ro                  read-only mount",
            "  whiteout=auto|chardev|whfile",
            "                      whiteouts as char device 0/0 (the kernel's) or",
            "                      .wh.NAME files; auto: chardev where mknod works",
            "  xattr_namespace=auto|trusted|user",
            "                      namespace of the markers jovl writes",
            "  cache=on|off        jovl's lookup cache (default on)",
            "  threaded=0|1        one FUSE thread (default) or libfuse's pool",
            "  FUSE options        allow_other, default_permissions, fsname=,",
            "                      subtype=, max_write=, entry_timeout=,",
            "                      attr_timeout=, negative_timeout=, kernel_cache,",
            "                      nodev, nosuid, noexec, ...",
            "",
            "Kernel options jovl does not implement are rejected by name (index=on,",
            "metacopy=on, redirect_dir=on, nfs_export=on, verity=on, datadir+=);",
            "options without effect (xino=on, redirect_dir=follow, uuid=on, context=)",
            "are accepted with a warning.",
            "",
            "Examples:",
            "  jovl mount -o lowerdir=/img/base,upperdir=/c1/up,workdir=/c1/work /c1/m",
            "  jovl mount -f -o lowerdir=/a:/b /view     (read-only, in the foreground)",
            "  jovl umount /c1/m",
            "",
            "Exit status: 0 mounted, 1 the mount failed (nothing is left mounted),",
            "2 bad command line."})
final class MountCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "-o", paramLabel = "OPTIONS", required = true,
            description = "Mount options, comma-separated (see below). May be given several times.")
    List<String> options = new ArrayList<>();

    @Option(names = {"-f", "--foreground"}, description = "Stay in the foreground and serve the mount until it is"
            + " unmounted (Ctrl-C unmounts).")
    boolean foreground;

    @Option(names = {"-d", "--debug"}, description = "Print libfuse's protocol trace and one line per operation"
            + " with its result and duration. Implies -f.")
    boolean debug;

    @Option(names = "-s", description = "Single-threaded FUSE loop. This is the default (measured faster on small"
            + " machines); -o threaded=1 gives libfuse's pool of worker threads.")
    boolean single;

    @Option(names = "--backend", paramLabel = "NAME", defaultValue = "auto",
            description = "auto (default): kernel overlayfs where this process may mount it with these options,"
                + " else the FUSE daemon, saying why in one line; kernel: kernel overlayfs or fail with the reason;"
                + " fuse: always the FUSE daemon.")
    String backend;

    @Option(names = "--trace", arity = "0..1", paramLabel = "FILE", fallbackValue = "-",
            description = "Print one line per overlay event (copy-up, whiteout, opaque directory, uncached"
                + " lookup across layers) to FILE, or to the daemon's stderr (use with -f). FUSE only.")
    String trace;

    @Option(names = "--trace-format", paramLabel = "text|json", defaultValue = "text",
            description = "text for people (default), json for one JSON object per line.")
    String traceFormat;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "30",
            description = "Give up if the mount is not usable after this long (default: ${DEFAULT-VALUE}).")
    int timeoutSeconds;

    @Option(names = "--log", paramLabel = "FILE", description = "Append the daemon's messages to FILE (default:"
            + " they are shown only if the mount fails).")
    Path log;

    /** Set by a background `jovl mount` for the daemon it starts: where to say "ready". */
    @Option(names = "--ready-file", hidden = true)
    Path readyFile;

    @Option(names = "--stacktrace", description = "On failure, print the full stack trace too.")
    boolean stacktrace;

    @Parameters(paramLabel = "MOUNTPOINT", description = "An existing directory to mount the overlay on.")
    Path mountpoint;

    @Override
    public Integer call() throws Exception {
        PrintWriter err = spec.commandLine().getErr();
        MountOptions opts;
        Backend requested;
        try {
            opts = MountOptions.parse(options);
            requested = Backend.parse(backend);
            if (!traceFormat.equals("text") && !traceFormat.equals("json")) {
                throw new IllegalArgumentException("--trace-format is text or json, not '" + traceFormat + "'");
            }
        } catch (IllegalArgumentException e) {
            throw new ExitCodes.UsageException(e.getMessage());
        } catch (Exception e) {
            reportToParent(e);
            throw e;
        }
        for (String w : opts.warnings()) {
            err.println("jovl: warning: " + w);
        }
        // decided here, before any daemon: a kernel mount needs none
        Path cwd = Path.of("").toAbsolutePath();
        BackendChoice.Choice choice;
        try {
            choice = BackendChoice.choose(requested, opts.absolute(cwd), debug ? "-d traces jovl's own daemon"
                    : trace != null ? "--trace follows jovl's own engine" : null);
        } catch (IllegalArgumentException e) {
            throw FsException.withMessage(Errno.EINVAL, null, e.getMessage());
        }
        choice.warnings().forEach(w -> err.println("jovl: warning: " + w));
        if (choice.why() != null && requested == Backend.AUTO && readyFile == null) {
            err.println("jovl: " + choice.why());
        }
        err.flush();
        if (choice.backend() == Backend.KERNEL) {
            KernelMount.start(opts.absolute(cwd), cwd.resolve(mountpoint), choice.kernelExtras());
            return ExitCodes.OK; // the kernel serves it; `jovl umount` takes it down
        }
        Backend b = Backend.FUSE;
        if (foreground || debug || readyFile != null) {
            return serve(opts, b);
        }
        return new BackgroundMount(err).launch(daemonArgs(opts.absolute(cwd), b, cwd), log,
                Duration.ofSeconds(timeoutSeconds));
    }

    private List<String> daemonArgs(MountOptions opts, Backend b, Path cwd) {
        List<String> a = new ArrayList<>();
        a.add("--backend=" + b);
        a.add("--timeout=" + timeoutSeconds);
        if (trace != null) {
            a.add("--trace=" + (trace.equals("-") ? "-" : cwd.resolve(trace).toString()));
            a.add("--trace-format=" + traceFormat);
        }
        if (single) {
            a.add("-s");
        }
        a.add("-o");
        a.add(opts.toOptionString());
        a.add(cwd.resolve(mountpoint).normalize().toString());
        return a;
    }

    /** Mounts, then serves until the mount goes away; the daemon of a background mount runs this too. */
    private int serve(MountOptions opts, Backend b) throws Exception {
        PrintStream log = System.err;
        if (!Charset.defaultCharset().equals(StandardCharsets.UTF_8)) {
            log.println("jovl: warning: the default charset is " + Charset.defaultCharset() + ", not UTF-8;"
                    + " names that are not ASCII will be garbled (run through the jovl launcher, or add"
                    + " -Dfile.encoding=UTF-8)");
        }
        MountHandle h;
        try {
            boolean oneThread = single || !Boolean.TRUE.equals(opts.threaded());
            h = Mounter.mount(b, opts, mountpoint, new MountSettings(oneThread, debug,
                    Duration.ofSeconds(timeoutSeconds), log, traceEvents(log)));
        } catch (FsException | RuntimeException e) {
            reportToParent(e);
            throw e;
        }
        // from here on an FsException is one of the daemon's answers (ENOENT, ENODATA...), never printed
        FsException.omitStackTraces();
        try {
            if (readyFile != null) {
                ReadyFile.ready(readyFile);
            }
            h.awaitUnmounted();
        } finally {
            h.close();
        }
        return ExitCodes.OK;
    }

    private OverlayEvents traceEvents(PrintStream log) throws java.io.IOException {
        if (trace == null) {
            return OverlayEvents.NONE;
        }
        PrintStream to = trace.equals("-") ? log : new PrintStream(new java.io.FileOutputStream(trace, true), true,
                StandardCharsets.UTF_8);
        return new TraceWriter(to, traceFormat.equals("json"));
    }

    private void reportToParent(Exception e) {
        if (readyFile != null) {
            ReadyFile.error(readyFile, ExitCodes.message(e));
        }
    }
}
