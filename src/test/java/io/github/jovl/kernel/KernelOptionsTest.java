package io.github.jovl.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class KernelOptionsTest {
    @Test
    void separatorsInPathsAreEscapedForTheKernelParser() {
        KernelOptions o = new KernelOptions(List.of(Path.of("/l:1"), Path.of("/l,2")), Path.of("/u\\x"),
                Path.of("/w"), List.of("userxattr"));
        assertEquals("lowerdir=/l\\:1:/l\\,2,upperdir=/u\\\\x,workdir=/w,userxattr", o.data());
    }

    @Test
    void readOnlyOverlayHasOnlyLowers() {
        assertEquals("lowerdir=/a:/b", new KernelOptions(List.of(Path.of("/a"), Path.of("/b")), null, null,
                List.of()).data());
    }
}
