package io.github.jovl.mount;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.github.jovl.config.MountOptions;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Each FUSE-only option either forces FUSE (with its reason) or is dropped with a warning, never lost silently. */
class BackendChoiceTest {
    private static final String LAYERS = "lowerdir=/l,upperdir=/u,workdir=/w";

    private static String blocker(String extra, List<String> warnings) throws Exception {
        return BackendChoice.engineOnly(MountOptions.parse(List.of(LAYERS + extra)), warnings);
    }

    @Test
    void engineOnlyOptionsForceFuse() throws Exception {
        assertEquals("whiteout=whfile asks for .wh. files, which the kernel does not write",
                blocker(",whiteout=whfile", new ArrayList<>()));
        assertEquals("cache=off is an option of jovl's engine", blocker(",cache=off", new ArrayList<>()));
        assertEquals("threaded= is an option of the FUSE daemon", blocker(",threaded=1", new ArrayList<>()));
    }

    @Test
    void fuseTuningIsDroppedWithAWarningAndPermissionsQuietly() throws Exception {
        List<String> w = new ArrayList<>();
        assertNull(blocker(",fsname=mine,max_write=65536,allow_other,default_permissions", w));
        assertEquals(List.of("FUSE option 'fsname=mine' has no meaning for a kernel overlay; dropped",
                "FUSE option 'max_write=65536' has no meaning for a kernel overlay; dropped"), w);
    }

    @Test
    void fuseIsNeverProbedAndKernelRefusesWithTheReason() throws Exception {
        MountOptions o = MountOptions.parse(List.of(LAYERS + ",whiteout=whfile"));
        assertEquals(Backend.FUSE, BackendChoice.choose(Backend.FUSE, o, null).backend());
        assertEquals("kernel overlay not used: whiteout=whfile asks for .wh. files, which the kernel does not"
                + " write; using FUSE", BackendChoice.choose(Backend.AUTO, o, null).why());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> BackendChoice.choose(Backend.KERNEL, o, null));
        assertEquals("the kernel backend cannot do this mount: whiteout=whfile asks for .wh. files, which the"
                + " kernel does not write", e.getMessage());
    }
}
