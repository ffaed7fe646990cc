package io.github.jovl.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MountOptionsTest {
    private static MountOptions parse(String... dashO) throws MountOptionException {
        return MountOptions.parse(List.of(dashO));
    }

    private static String error(String... dashO) {
        return assertThrows(MountOptionException.class, () -> parse(dashO)).getMessage();
    }

    @Test
    void readsTheThreeDirectoriesTopLowerFirst() throws Exception {
        MountOptions o = parse("lowerdir=/l1:/l2,upperdir=/u,workdir=/w");
        assertEquals(List.of(Path.of("/l1"), Path.of("/l2")), o.lowers());
        assertEquals(Path.of("/u"), o.upper());
        assertEquals(Path.of("/w"), o.work());
        assertTrue(o.syncCopyUp());
        assertTrue(o.cache());
        assertFalse(o.readOnly());
        assertEquals(WhiteoutFormat.AUTO, o.whiteout());
        assertEquals(XattrNamespace.AUTO, o.xattrNamespace());
        assertEquals(List.of(), o.fuseOptions());
        assertEquals(List.of(), o.warnings());
    }

    @Test
    void backslashEscapesColonAndCommaAndItself() throws Exception {
        MountOptions o = parse("lowerdir=/a\\:b:/c\\,d:/e\\\\f,upperdir=/u\\,v,workdir=/w\\:x");
        assertEquals(List.of(Path.of("/a:b"), Path.of("/c,d"), Path.of("/e\\f")), o.lowers());
        assertEquals(Path.of("/u,v"), o.upper());
        assertEquals(Path.of("/w:x"), o.work());
    }

    @Test
    void severalDashOAddUpAndTheLaterWins() throws Exception {
        MountOptions o = parse("lowerdir=/old1:/old2", "upperdir=/u,workdir=/w", "lowerdir=/new", "cache=off",
                "allow_other");
        assertEquals(List.of(Path.of("/new")), o.lowers());
        assertFalse(o.cache());
        assertEquals(List.of("allow_other"), o.fuseOptions());
    }

    @Test
    void printsWhatItReadsBack() throws Exception {
        MountOptions o = parse("lowerdir=/a\\:b:/c,upperdir=/u\\,v,workdir=/w,volatile,whiteout=whfile,ro,"
                + "userxattr,threaded=0,fsname=my\\,fs,allow_other");
        MountOptions again = parse(o.toOptionString());
        assertEquals(o, again);
        assertEquals(List.of(Path.of("/a:b"), Path.of("/c")), again.lowers());
        assertEquals(List.of("fsname=my,fs", "allow_other"), again.fuseOptions());
    }

    @Test
    void lowerdirPlusAppendsOneLayerAndCannotBeMixed() throws Exception {
        MountOptions o = parse("lowerdir+=/a:b,lowerdir+=/c,upperdir=/u,workdir=/w");
        assertEquals(List.of(Path.of("/a:b"), Path.of("/c")), o.lowers());
        assertTrue(error("lowerdir=/a,lowerdir+=/b,upperdir=/u,workdir=/w").contains("cannot be mixed"));
    }

    @Test
    void kernelRules() {
        assertTrue(error("upperdir=/u,workdir=/w").contains("lowerdir= is missing"));
        assertTrue(error("lowerdir=/a,upperdir=/u").contains("needs workdir="));
        assertTrue(error("lowerdir=/a:/b,workdir=/w").contains("needs upperdir="));
        assertTrue(error("lowerdir=/a").contains("at least 2 lower layers"));
        assertTrue(error("lowerdir=/a::/data,upperdir=/u,workdir=/w").contains("data-only"));
        assertTrue(error("lowerdir=,upperdir=/u,workdir=/w").contains("at least one directory"));
    }

    @Test
    void readOnlyOverlayWithTwoLowers() throws Exception {
        MountOptions o = parse("lowerdir=/a:/b");
        assertNull(o.upper());
        assertTrue(o.overlayConfig().readOnly());
    }

    @Test
    void userxattrAndVolatileMapToTheEngine() throws Exception {
        OverlayConfig c = parse("lowerdir=/l,upperdir=/u,workdir=/w,userxattr,volatile").overlayConfig();
        assertEquals(XattrNamespace.USER, c.xattrNamespace());
        assertFalse(c.syncCopyUp());
        assertFalse(parse("lowerdir=/l,upperdir=/u,workdir=/w,fsync=0").syncCopyUp());
    }

    @ParameterizedTest
    @ValueSource(strings = {"index=on", "metacopy=on", "redirect_dir=on", "nfs_export=on", "verity=require",
            "datadir+=/d", "uidmapping=0:1000:1", "squash_to_root", "nopath", "modules=subdir"})
    void unimplementedOptionsAreRejectedByName(String opt) {
        String msg = error("lowerdir=/l,upperdir=/u,workdir=/w," + opt);
        assertTrue(msg.contains("'" + opt + "'") && msg.contains("not supported"), msg);
    }

    @ParameterizedTest
    @ValueSource(strings = {"index=off", "metacopy=off", "redirect_dir=off", "redirect_dir=nofollow",
            "nfs_export=off", "xino=off", "uuid=null", "relatime", "defaults", "x-systemd.automount", "noacl"})
    void optionsMeaningWhatJovlDoesAreAcceptedQuietly(String opt) throws Exception {
        MountOptions o = parse("lowerdir=/l,upperdir=/u,workdir=/w," + opt);
        assertEquals(List.of(), o.warnings());
        assertEquals(List.of(), o.fuseOptions());
    }

    @ParameterizedTest
    @ValueSource(strings = {"xino=auto", "redirect_dir=follow", "uuid=on", "context=system_u:object_r:x:s0",
            "nodiratime", "writeback=1"})
    void optionsWithoutEffectWarnOnce(String opt) throws Exception {
        MountOptions o = parse("lowerdir=/l,upperdir=/u,workdir=/w," + opt.replace(",", "\\,"));
        assertEquals(1, o.warnings().size());
        assertTrue(o.warnings().get(0).startsWith(opt.split("=")[0]), o.warnings().toString());
    }

    @Test
    void fuseOptionsPassThroughInOrder() throws Exception {
        MountOptions o = parse("lowerdir=/l,upperdir=/u,workdir=/w,allow_other,fsname=x,subtype=y,"
                + "default_permissions,max_write=65536,nodev,timeout=5");
        assertEquals(List.of("allow_other", "fsname=x", "subtype=y", "default_permissions", "max_write=65536",
                "nodev", "entry_timeout=5", "attr_timeout=5"), o.fuseOptions());
        assertTrue(o.hasFuseOption("fsname"));
        assertFalse(o.hasFuseOption("fs"));
    }

    @Test
    void badValuesAndUnknownOptionsAreErrors() {
        assertTrue(error("lowerdir=/l:/m,whiteout=dots").contains("whiteout=auto|chardev|whfile"));
        assertTrue(error("lowerdir=/l:/m,cache=maybe").contains("cache=on|off"));
        assertTrue(error("lowerdir=/l:/m,max_write=big").contains("needs a number"));
        assertTrue(error("lowerdir=/l:/m,fsname=").contains("needs a value"));
        assertTrue(error("lowerdir=/l:/m,volatile=1").contains("takes no value"));
        assertTrue(error("lowerdir=/l:/m,bogus").contains("unknown mount option 'bogus'"));
    }

    @Test
    void jovlOptions() throws Exception {
        MountOptions o = parse("lowerdir=/l,upperdir=/u,workdir=/w,whiteout=chardev,xattr_namespace=trusted,"
                + "threaded=1,ro,rw");
        assertEquals(WhiteoutFormat.CHARDEV, o.whiteout());
        assertEquals(XattrNamespace.TRUSTED, o.xattrNamespace());
        assertEquals(Boolean.TRUE, o.threaded());
        assertFalse(o.readOnly(), "rw after ro wins");
    }

    @Test
    void absoluteResolvesEveryLayer() throws Exception {
        MountOptions o = parse("lowerdir=l1:/l2,upperdir=u,workdir=../w").absolute(Path.of("/base/dir"));
        assertEquals(List.of(Path.of("/base/dir/l1"), Path.of("/l2")), o.lowers());
        assertEquals(Path.of("/base/dir/u"), o.upper());
        assertEquals(Path.of("/base/w"), o.work());
    }
}
