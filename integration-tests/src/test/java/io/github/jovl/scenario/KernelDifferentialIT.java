package io.github.jovl.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.jovl.config.WhiteoutFormat;
import io.github.jovl.config.XattrNamespace;
import io.github.jovl.fs.Errno;
import io.github.jovl.fs.FsException;
import io.github.jovl.it.KernelMounter;
import io.github.jovl.it.Mounts;
import io.github.jovl.it.Prereq;
import io.github.jovl.sys.Native;
import io.github.jovl.union.Overlay;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kernel overlayfs is the oracle. Every kernel-comparable scenario of the {@link Catalogue} runs on a kernel
 * overlay mount and on the engine, each over its own identical copy of the layers, and:
 * <ol>
 * <li>the kernel must meet the catalogue's own expectations (this keeps the catalogue honest: an expectation the
 * kernel does not meet is a wrong expectation, not an engine bug);</li>
 * <li>the engine must do exactly what the kernel did: the same result (OK, value or errno) for every step, the
 * same merged view (names, types, modes, owners, sizes, content, symlink targets, xattrs, nlink, mtime labels)
 * and the same markers in the upper (a whiteout is compared by kind, not inode: the kernel shares one whiteout
 * inode; opaque is trusted.overlay.opaque=y; the backends' bookkeeping xattrs such as origin are ignored).</li>
 * </ol>
 * The engine runs with char-device whiteouts and trusted.* markers: the forms a root kernel mount writes. Needs
 * root and overlayfs: skipped without them, failed without them under CI=true ({@link Prereq}).
 */
class KernelDifferentialIT {
    @TempDir
    Path tmp;

    /** The oracle; it keeps its shared whiteout inode in workdir/work, so that is not held against it. */
    static final Runner.Backend KERNEL = new MountedBackend(new KernelMounter(), false);

    private static final EngineBackend ENGINE = new EngineBackend(WhiteoutFormat.CHARDEV, XattrNamespace.TRUSTED,
            true);

    @BeforeEach
    void prerequisites() {
        Prereq.requireKernelOverlay();
    }

    /** Every mount is undone by its driver's close(); this catches (and cleans) any that was not. */
    @AfterEach
    void noMountLeftBehind() throws Exception {
        List<String> left = Mounts.detachAllUnder(tmp);
        assertEquals(List.of(), left, "mounts left behind (now detached)");
    }

    @TestFactory
    Stream<DynamicNode> engineAgainstKernel() {
        return Differential.against(KERNEL, ENGINE, () -> tmp);
    }

    /** Rule 10 against mount(2): where the kernel checks the same thing, the engine refuses with its errno. */
    @TestFactory
    Stream<DynamicTest> startupChecksAgainstKernel() {
        return StartupScenarios.all().stream().filter(StartupScenarios.Case::kernelComparable)
                .map(c -> DynamicTest.dynamicTest(c.toString(), () -> {
                    Path scratch = Files.createTempDirectory(tmp, "startup");
                    StartupScenarios.Prepared p = c.setup().prepare(scratch);
                    try {
                        Errno kernelErrno = kernelMountErrno(p, Files.createDirectories(scratch.resolve("mnt")));
                        Errno engineErrno = null;
                        try {
                            Overlay.open(p.config()).close();
                        } catch (FsException e) {
                            engineErrno = e.errno();
                        }
                        assertEquals(kernelErrno, engineErrno, c.name() + ": kernel mount(2) gave "
                                + (kernelErrno == null ? "success" : kernelErrno) + ", the engine " + engineErrno);
                    } finally {
                        for (AutoCloseable a : p.cleanup()) {
                            a.close();
                        }
                    }
                }));
    }

    /** The errno of mount(2) for the same configuration, or null when the kernel mounted it (then unmounted). */
    private static Errno kernelMountErrno(StartupScenarios.Prepared p, Path mnt) throws Exception {
        String data = KernelMounter.data(p.config().lowers(), p.config().upper(), p.config().work());
        try {
            Native.mount("overlay", mnt.toString(), "overlay", 0, data);
        } catch (FsException e) {
            return e.errno();
        }
        Native.umount(mnt.toString(), 0);
        return null;
    }
}
