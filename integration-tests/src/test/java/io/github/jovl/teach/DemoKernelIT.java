package io.github.jovl.teach;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jovl.it.Mounts;
import io.github.jovl.it.Prereq;
import io.github.jovl.kernel.KernelOptions;
import io.github.jovl.kernel.KernelOverlay;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The demo on a kernel overlay: what it prints must match what the kernel left in the layers. */
class DemoKernelIT {
    @TempDir
    Path tmp;

    @AfterEach
    void noMountLeft() throws Exception {
        assertEquals(List.of(), Mounts.detachAllUnder(tmp), "the demo unmounts what it mounts");
    }

    @Test
    void stepsShowCopyUpWhiteoutOpaqueAndShadowing() throws Exception {
        Prereq.requireKernelOverlay();
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        Demo.Mounter kernel = (lowers, upper, work, mnt) -> {
            KernelOverlay.mount(new KernelOptions(lowers, upper, work, List.of()), mnt);
            return new Demo.Mounted() {
                @Override
                public String backend() {
                    return "kernel";
                }

                @Override
                public void close() throws Exception {
                    KernelOverlay.unmount(mnt, false);
                }
            };
        };
        new Demo(tmp, kernel, new PrintStream(buf, true, StandardCharsets.UTF_8), () -> { }).run();
        String out = buf.toString(StandardCharsets.UTF_8);
        assertTrue(out.contains("== Step 5: a second lower layer shadows the first"), out);
        assertTrue(out.contains("old.txt  [whiteout: char device 0/0]"), out);
        assertTrue(out.contains("docs/  [opaque: trusted.overlay.opaque=y]"), out);
        assertTrue(out.contains("message from lower2, the new top lower layer"), out);
        assertEquals("hello from the lower layer\n", Files.readString(tmp.resolve("lower/hello.txt")));
        assertEquals("hello from the lower layer\nchanged in merged\n", Files.readString(tmp.resolve("upper/hello.txt")));
    }
}
