package io.github.jovl.fuse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jovl.config.MountOptions;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class FuseArgsTest {
    private static List<String> opts(String dashO, boolean root) throws Exception {
        List<String> args = FuseArgs.of(MountOptions.parse(List.of(dashO)), root, false);
        assertEquals("-o", args.get(0));
        return Arrays.asList(args.get(1).split(","));
    }

    @Test
    void whatEveryMountNeeds() throws Exception {
        List<String> o = opts("lowerdir=/l,upperdir=/u,workdir=/w", false);
        for (String want : List.of("fsname=jovl", "subtype=jovl", "use_ino", "hard_remove", "nonempty",
                "default_permissions", "big_writes", "max_write=131072", "auto_cache", "negative_timeout=1",
                "entry_timeout=60", "attr_timeout=0")) {
            assertTrue(o.contains(want), want + " in " + o);
        }
        assertFalse(o.contains("allow_other"), "a user's mount is only for that user");
        assertFalse(o.contains("ro"));
    }

    @Test
    void rootSharesTheMountLikeFuseOverlayfs() throws Exception {
        assertTrue(opts("lowerdir=/l,upperdir=/u,workdir=/w", true).contains("allow_other"));
        List<String> o = opts("lowerdir=/l,upperdir=/u,workdir=/w,allow_root", true);
        assertFalse(o.contains("allow_other"), "allow_root and allow_other exclude each other");
    }

    @Test
    void noUpperOrRoMeansReadOnly() throws Exception {
        assertTrue(opts("lowerdir=/a:/b", false).contains("ro"));
        assertTrue(opts("lowerdir=/l,upperdir=/u,workdir=/w,ro", false).contains("ro"));
    }

    @Test
    void theUsersValueWinsAndCommasAreEscaped() throws Exception {
        List<String> args = FuseArgs.of(MountOptions.parse(List.of(
                "lowerdir=/l,upperdir=/u,workdir=/w,fsname=a\\,b,max_write=65536,kernel_cache")), false, true);
        assertEquals("-s", args.get(0));
        String o = args.get(2);
        assertTrue(o.contains("fsname=a\\,b"), o);
        assertFalse(o.contains("fsname=jovl"), o);
        assertTrue(o.contains("max_write=65536") && !o.contains("max_write=131072"), o);
        assertTrue(o.contains("kernel_cache") && !o.contains("auto_cache"), o);
    }
}
