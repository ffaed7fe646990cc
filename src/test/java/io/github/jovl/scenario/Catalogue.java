package io.github.jovl.scenario;

import static io.github.jovl.fs.Errno.EEXIST;
import static io.github.jovl.fs.Errno.EINVAL;
import static io.github.jovl.fs.Errno.EISDIR;
import static io.github.jovl.fs.Errno.ENAMETOOLONG;
import static io.github.jovl.fs.Errno.ENODATA;
import static io.github.jovl.fs.Errno.ENOENT;
import static io.github.jovl.fs.Errno.ENOTDIR;
import static io.github.jovl.fs.Errno.ENOTEMPTY;
import static io.github.jovl.fs.Errno.EOPNOTSUPP;
import static io.github.jovl.fs.Errno.EPERM;
import static io.github.jovl.fs.Errno.EROFS;
import static io.github.jovl.fs.Errno.EXDEV;
import static io.github.jovl.scenario.EntrySpec.dir;
import static io.github.jovl.scenario.EntrySpec.fifo;
import static io.github.jovl.scenario.EntrySpec.file;
import static io.github.jovl.scenario.Expect.hidden;
import static io.github.jovl.scenario.Expect.listing;
import static io.github.jovl.scenario.Expect.shows;
import static io.github.jovl.scenario.Expect.upperHas;
import static io.github.jovl.scenario.Expect.upperHasNoWhiteouts;
import static io.github.jovl.scenario.Expect.upperLacks;
import static io.github.jovl.scenario.Expect.upperNotOpaque;
import static io.github.jovl.scenario.Expect.upperOpaque;
import static io.github.jovl.scenario.Expect.upperWhiteout;
import static io.github.jovl.scenario.LayerSpec.layer;
import static io.github.jovl.scenario.Ops.append;
import static io.github.jovl.scenario.Ops.chmod;
import static io.github.jovl.scenario.Ops.chown;
import static io.github.jovl.scenario.Ops.createExclusive;
import static io.github.jovl.scenario.Ops.closeHeld;
import static io.github.jovl.scenario.Ops.getxattr;
import static io.github.jovl.scenario.Ops.hold;
import static io.github.jovl.scenario.Ops.inoCompare;
import static io.github.jovl.scenario.Ops.inoSame;
import static io.github.jovl.scenario.Ops.link;
import static io.github.jovl.scenario.Ops.listxattr;
import static io.github.jovl.scenario.Ops.mkdir;
import static io.github.jovl.scenario.Ops.mkfifo;
import static io.github.jovl.scenario.Ops.mknodChar;
import static io.github.jovl.scenario.Ops.openForWrite;
import static io.github.jovl.scenario.Ops.openTrunc;
import static io.github.jovl.scenario.Ops.read;
import static io.github.jovl.scenario.Ops.readHeld;
import static io.github.jovl.scenario.Ops.readdir;
import static io.github.jovl.scenario.Ops.readlink;
import static io.github.jovl.scenario.Ops.rememberIno;
import static io.github.jovl.scenario.Ops.remount;
import static io.github.jovl.scenario.Ops.removexattr;
import static io.github.jovl.scenario.Ops.rename;
import static io.github.jovl.scenario.Ops.renameExchange;
import static io.github.jovl.scenario.Ops.renameNoReplace;
import static io.github.jovl.scenario.Ops.rmdir;
import static io.github.jovl.scenario.Ops.setxattr;
import static io.github.jovl.scenario.Ops.stat;
import static io.github.jovl.scenario.Ops.symlink;
import static io.github.jovl.scenario.Ops.tooLongName;
import static io.github.jovl.scenario.Ops.truncate;
import static io.github.jovl.scenario.Ops.unlink;
import static io.github.jovl.scenario.Ops.utimens;
import static io.github.jovl.scenario.Ops.utimensOmitBoth;
import static io.github.jovl.scenario.Ops.write;
import static io.github.jovl.scenario.Ops.writeHeld;

import io.github.jovl.sys.Native;
import java.util.ArrayList;
import java.util.List;

/**
 * The scenario catalogue: one row per semantic rule of kernel overlayfs (Documentation/filesystems/overlayfs.rst),
 * numbered as in the README's semantics table. Each row gives the layers, the steps with their expected
 * results, and the end state. {@code EngineScenarioTest} runs every row on the engine; {@code
 * KernelDifferentialIT} runs the kernel-comparable rows on the engine and on a kernel mount and compares.
 *
 * <p>Layer times: every fixture object has an mtime that names its layer ("lower0", "upper"); "now" means the
 * clock set it during the run.
 */
public final class Catalogue {
    /** A time a scenario sets explicitly: 2010-01-01. */
    static final long T2010 = 1_262_304_000L;

    private Catalogue() {
    }

    public static List<Scenario> all() {
        List<Scenario> all = new ArrayList<>();
        all.addAll(lookup());
        all.addAll(markersRead());
        all.addAll(markersWritten());
        all.addAll(copyUp());
        all.addAll(removal());
        all.addAll(renames());
        all.addAll(readdirRules());
        all.addAll(attributes());
        all.addAll(privateXattrs());
        all.addAll(caching());
        all.addAll(errnos());
        all.addAll(objects());
        all.addAll(openFiles());
        all.addAll(readOnly());
        return all;
    }

    // ---------------------------------------------------------------- 1 lookup
    static List<Scenario> lookup() {
        String r = "1 lookup";
        return List.of(
            Scenario.of(r, "the upper's file hides a lower file of the same name")
                .layers(Layers.lowers(layer().file("a", "low")).upper(layer().file("a", "up")))
                .does(read("a").gives("up"))
                .expect(shows("a", file("up").mtime("upper"))),
            Scenario.of(r, "a higher lower hides the same name in the lowers below it")
                .layers(Layers.lowers(layer().file("a", "l0"), layer().file("a", "l1").file("b", "l1")))
                .does(read("a").gives("l0"), read("b").gives("l1"))
                .expect(shows("a", file("l0").mtime("lower0")), shows("b", file("l1").mtime("lower1"))),
            Scenario.of(r, "a non-directory hides a directory below it")
                .layers(Layers.lowers(layer().file("d", "file"), layer().dir("d").file("d/x", "x")))
                .does(stat("d").givesContaining("file "), read("d/x").fails(ENOTDIR))
                .expect(shows("d", file("file")), hidden("d/x")),
            Scenario.of(r, "a directory hides a non-directory below it and does not merge with it")
                .layers(Layers.lowers(layer().dir("d").file("d/x", "x"), layer().file("d", "file")))
                .does(readdir("d").gives(".:dir ..:dir x:file"))
                .expect(listing("d", "x"), shows("d", dir().mtime("lower0"))),
            Scenario.of(r, "directories at one path merge across the upper and every lower")
                .layers(Layers.lowers(layer().file("d/a", "a0"), layer().file("d/b", "b1").file("d/a", "a1"))
                    .upper(layer().file("d/u", "u")))
                .does(readdir("d").gives(".:dir ..:dir a:file b:file u:file"), read("d/a").gives("a0"))
                .expect(listing("d", "a", "b", "u"), shows("d", dir().mtime("upper"))),
            Scenario.of(r, "a whiteout in a lower ends the search: what is below stays hidden")
                .layers(Layers.lowers(layer().whiteout("a").whiteout("d"),
                    layer().file("a", "below").file("d/x", "x").file("keep", "k")))
                .does(stat("a").fails(ENOENT), stat("d").fails(ENOENT), read("d/x").fails(ENOENT),
                    readdir("").gives(".:dir ..:dir keep:file"))
                .expect(hidden("a"), hidden("d"), listing("", "keep")),
            Scenario.of(r, "an opaque lower directory ends the merge")
                .layers(Layers.lowers(layer().opaque("d").file("d/top", "t"), layer().file("d/below", "b")))
                .does(readdir("d").gives(".:dir ..:dir top:file"), stat("d/below").fails(ENOENT))
                .expect(listing("d", "top")),
            Scenario.of(r, "an opaque directory in a middle lower merges with those above, hides those below")
                .layers(Layers.lowers(layer().file("d/a", "a"), layer().opaque("d").file("d/b", "b"),
                    layer().file("d/c", "c")))
                .does(readdir("d").gives(".:dir ..:dir a:file b:file"), stat("d/c").fails(ENOENT))
                .expect(listing("d", "a", "b")),
            Scenario.of(r, "a whiteout in the upper hides every lower")
                .layers(Layers.lowers(layer().file("a", "x"), layer().file("a", "y")).upper(layer().whiteout("a")))
                .does(stat("a").fails(ENOENT), readdir("").gives(".:dir ..:dir"))
                .expect(hidden("a")),
            Scenario.of(r, "an opaque upper directory hides the lowers' entries")
                .layers(Layers.lowers(layer().file("d/x", "x")).upper(layer().opaque("d").file("d/u", "u")))
                .does(readdir("d").gives(".:dir ..:dir u:file"), stat("d/x").fails(ENOENT))
                .expect(listing("d", "u")));
    }

    // ---------------------------------------------------------------- 2 markers read
    static List<Scenario> markersRead() {
        String r = "2 markers read";
        return List.of(
            Scenario.of(r, "a 0/0 char device whiteout is neither listed nor found")
                .layers(Layers.lowers(layer().file("d/x", "x").whiteout("d/gone"), layer().file("d/gone", "g")))
                .does(readdir("d").gives(".:dir ..:dir x:file"), stat("d/gone").fails(ENOENT))
                .expect(listing("d", "x")),
            Scenario.of(r, "a zero-size file with trusted.overlay.whiteout in an opaque=x dir is a whiteout")
                .layers(Layers.lowers(layer().file("d/x", "x").xattrWhiteout("d/gone"),
                    layer().file("d/gone", "g").file("d/y", "y")))
                // opaque=x only says "holds xattr whiteouts": d still merges, so y shows
                .does(readdir("d").gives(".:dir ..:dir x:file y:file"), stat("d/gone").fails(ENOENT))
                .expect(listing("d", "x", "y")),
            Scenario.of(r, "the user.overlay.whiteout form (userxattr) is read too")
                .layers(Layers.lowers(layer().file("d/x", "x").xattrWhiteoutUser("d/gone"),
                    layer().file("d/gone", "g")))
                .does(readdir("d").gives(".:dir ..:dir x:file"), stat("d/gone").fails(ENOENT))
                .expect(listing("d", "x")),
            Scenario.of(r, "a .wh.NAME file hides NAME and is never shown itself")
                .layers(Layers.lowers(layer().file("d/x", "x").whiteoutFile("d/gone"), layer().file("d/gone", "g")))
                .does(readdir("d").gives(".:dir ..:dir x:file"), stat("d/gone").fails(ENOENT),
                    stat("d/.wh.gone").fails(ENOENT), read("d/.wh.gone").fails(ENOENT))
                .expect(listing("d", "x")),
            Scenario.of(r, "a .wh..wh..opq file makes a directory opaque and is never shown itself")
                .layers(Layers.lowers(layer().opaqueWhFile("d").file("d/top", "t"), layer().file("d/below", "b")))
                .does(readdir("d").gives(".:dir ..:dir top:file"), stat("d/below").fails(ENOENT),
                    stat("d/.wh..wh..opq").fails(ENOENT))
                .expect(listing("d", "top")),
            Scenario.of(r, "user.overlay.opaque=y makes a directory opaque")
                .layers(Layers.lowers(layer().opaqueUser("d").file("d/top", "t"), layer().file("d/below", "b")))
                .does(readdir("d").gives(".:dir ..:dir top:file"), listxattr("d").gives(""))
                .expect(listing("d", "top")),
            Scenario.of(r, "user.fuseoverlayfs.opaque makes a directory opaque")
                .layers(Layers.lowers(layer().opaqueFuseOverlayfs("d").file("d/top", "t"),
                    layer().file("d/below", "b")))
                .does(readdir("d").gives(".:dir ..:dir top:file"), listxattr("d").gives(""))
                .expect(listing("d", "top")),
            Scenario.of(r, "an upper written by fuse-overlayfs (.wh. files, .wh..wh..opq) is read")
                .layers(Layers.lowers(layer().file("a", "x").file("d/x", "x"))
                    .upper(layer().whiteoutFile("a").opaqueWhFile("d").file("d/u", "u")))
                .does(stat("a").fails(ENOENT), readdir("d").gives(".:dir ..:dir u:file"),
                    readdir("").gives(".:dir ..:dir d:dir"))
                .expect(hidden("a"), listing("d", "u")));
    }

    // ---------------------------------------------------------------- 3 markers written
    static List<Scenario> markersWritten() {
        String r = "3 markers written";
        return List.of(
            Scenario.of(r, "unlink of a lower file leaves a whiteout; its parent is copied up, not opaque")
                .layers(Layers.lowers(layer().file("a", "x").file("d/f", "y").file("d/g", "z")))
                .does(unlink("a"), unlink("d/f"), stat("a").fails(ENOENT))
                .expect(hidden("a"), hidden("d/f"), upperWhiteout("a"), upperWhiteout("d/f"),
                    upperNotOpaque("d"), listing("d", "g")),
            Scenario.of(r, "rmdir of a lower directory leaves a whiteout")
                .layers(Layers.lowers(layer().dir("e").dir("p/q").file("p/k", "k")))
                .does(rmdir("e"), rmdir("p/q"))
                .expect(upperWhiteout("e"), upperWhiteout("p/q"), hidden("e"), listing("p", "k")),
            Scenario.of(r, "unlink of a copied-up file replaces it with a whiteout")
                .layers(Layers.lowers(layer().file("a", "x")))
                .does(append("a", "y"), unlink("a"), stat("a").fails(ENOENT))
                .expect(upperWhiteout("a"), hidden("a")),
            Scenario.of(r, "mkdir over a whiteout in the upper makes an opaque directory")
                .layers(Layers.lowers(layer().file("d/x", "x")))
                .does(unlink("d/x"), rmdir("d"), mkdir("d"), readdir("d").gives(".:dir ..:dir"))
                .expect(upperOpaque("d"), listing("d")),
            Scenario.of(r, "mkdir where a lower's whiteout hides the name is not opaque (that whiteout stays)")
                .layers(Layers.lowers(layer().whiteout("d"), layer().file("d/x", "x")))
                .does(mkdir("d"), readdir("d").gives(".:dir ..:dir"), remount(), readdir("d").gives(".:dir ..:dir"))
                .expect(upperNotOpaque("d"), listing("d")),
            Scenario.of(r, "a pure-upper directory renamed within a merged parent becomes opaque")
                .layers(Layers.lowers(layer().file("m/x", "x")))
                .does(mkdir("e"), rename("e", "e2"), mkdir("m/e"), rename("m/e", "m/e2"))
                .expect(upperOpaque("e2"), upperOpaque("m/e2"), listing("m", "e2", "x"), upperLacks("e")),
            Scenario.of(r, "plain mkdir of a new name is not opaque")
                .layers(Layers.lowers(layer().file("m/x", "x")))
                .does(mkdir("n"), mkdir("m/n"))
                .expect(upperNotOpaque("n"), upperNotOpaque("m/n"), upperNotOpaque("m")),
            Scenario.of(r, "a file created over a whiteout replaces the whiteout")
                .layers(Layers.lowers(layer().file("a", "old")))
                .does(unlink("a"), write("a", "new"), read("a").gives("new"))
                .expect(upperHas("a", file("new")), shows("a", file("new").mtime("now")), upperHasNoWhiteouts()));
    }

    // ---------------------------------------------------------------- 4 copy-up
    /** d (0750, 1001:1002, user.dk) holding f (0640, 1000:1000, user.k), symlink s -> f, fifo p; a/b/c/f. */
    static Layers copyUpLayers() {
        return Layers.lowers(layer()
            .dir("d", 0750).owner("d", 1001, 1002).xattr("d", "user.dk", "dv")
            .file("d/f", "data", 0640).owner("d/f", 1000, 1000).xattr("d/f", "user.k", "v")
            .symlink("d/s", "f").owner("d/s", 1000, 1000)
            .fifo("d/p").owner("d/p", 1000, 1000)
            .dir("a", 0700).owner("a", 1001, 1001).xattr("a", "user.a", "1")
            .dir("a/b", 0711).owner("a/b", 1002, 1002)
            .dir("a/b/c", 0755)
            .file("a/b/c/f", "deep"));
    }

    /** d/f as copy-up must keep it, apart from what the step changed. */
    static EntrySpec dataOwnerXattr() {
        return file("data").owner(1000, 1000).xattr("user.k", "v");
    }

    static List<Scenario> copyUp() {
        String r = "4 copy-up";
        return List.of(
            Scenario.of(r, "open for write copies up data, owner, mode, mtime, xattrs; the parent first, with its own")
                .root().layers(copyUpLayers())
                .does(openForWrite("d/f"))
                .expect(upperHas("d/f", dataOwnerXattr().mode(0640)),
                    shows("d/f", dataOwnerXattr().mode(0640).mtime("lower0")),
                    upperHas("d", dir().mode(0750).owner(1001, 1002).xattr("user.dk", "dv")),
                    shows("d", dir().mode(0750).owner(1001, 1002).mtime("lower0")),
                    upperLacks("d/s"), upperLacks("d/p"), upperLacks("a"), upperNotOpaque("d")),
            Scenario.of(r, "open with O_TRUNC copies up an empty file with the same owner, mode and xattrs")
                .root().layers(copyUpLayers())
                .does(openTrunc("d/f"), read("d/f").gives(""))
                .expect(upperHas("d/f", file("").owner(1000, 1000).mode(0640).xattr("user.k", "v")),
                    shows("d/f", file("").mtime("now"))),
            Scenario.of(r, "truncate copies up and cuts")
                .root().layers(copyUpLayers())
                .does(truncate("d/f", 2), read("d/f").gives("da"))
                .expect(upperHas("d/f", file("da").owner(1000, 1000).mode(0640).xattr("user.k", "v")),
                    shows("d/f", file("da").mtime("now"))),
            Scenario.of(r, "chmod copies up and changes only the mode")
                .root().layers(copyUpLayers())
                .does(chmod("d/f", 0600))
                .expect(upperHas("d/f", dataOwnerXattr().mode(0600)),
                    shows("d/f", dataOwnerXattr().mode(0600).mtime("lower0"))),
            Scenario.of(r, "chown copies up and changes only the owner")
                .root().layers(copyUpLayers())
                .does(chown("d/f", 2000, 2001))
                .expect(upperHas("d/f", file("data").owner(2000, 2001).mode(0640).xattr("user.k", "v")),
                    shows("d/f", file("data").owner(2000, 2001).mtime("lower0"))),
            Scenario.of(r, "utimens copies up and sets the times")
                .root().layers(copyUpLayers())
                .does(utimens("d/f", T2010))
                .expect(shows("d/f", dataOwnerXattr().mode(0640).mtime(T2010 + ".000000000")),
                    upperHas("d/f", dataOwnerXattr())),
            Scenario.of(r, "setxattr copies up and keeps the other xattrs")
                .root().layers(copyUpLayers())
                .does(setxattr("d/f", "user.n", "w"), listxattr("d/f").gives("user.k user.n"))
                .expect(upperHas("d/f", dataOwnerXattr().xattr("user.n", "w")),
                    shows("d/f", dataOwnerXattr().xattr("user.n", "w").mtime("lower0"))),
            Scenario.of(r, "removexattr copies up and removes only that xattr")
                .root().layers(copyUpLayers())
                .does(removexattr("d/f", "user.k"), listxattr("d/f").gives(""))
                .expect(upperHas("d/f", file("data").owner(1000, 1000).noXattr("user.k")),
                    shows("d/f", file("data").noXattrs().mtime("lower0"))),
            Scenario.of(r, "utimens that omits both times changes nothing and copies nothing up")
                .root().layers(copyUpLayers())
                .does(utimensOmitBoth("d/f"))
                .expect(upperLacks("d"), shows("d/f", file("data").mtime("lower0"))),
            Scenario.of(r, "removexattr of an absent xattr fails with ENODATA and copies nothing up")
                .root().layers(copyUpLayers())
                .does(removexattr("d/f", "user.none").fails(ENODATA))
                .expect(upperLacks("d"), upperLacks("d/f")),
            Scenario.of(r, "reads, stat, listings and xattr reads copy nothing up")
                .root().layers(copyUpLayers())
                .does(read("d/f").gives("data"), stat("d/f").gives("file 0640 1000:1000 nlink=1 size=4 mtime=lower0"),
                    readdir("d").gives(".:dir ..:dir f:file p:fifo s:symlink"), listxattr("d/f").gives("user.k"),
                    getxattr("d/f", "user.k").gives("v"), readlink("d/s").gives("f"))
                .expect(upperLacks("d"), upperLacks("a")),
            Scenario.of(r, "lchown of a symlink copies up the link with its target, not the file it names")
                .root().layers(copyUpLayers())
                .does(chown("d/s", 2000, 2000), readlink("d/s").gives("f"))
                .expect(upperHas("d/s", EntrySpec.symlink("f").owner(2000, 2000)),
                    shows("d/s", EntrySpec.symlink("f").owner(2000, 2000).mtime("lower0")), upperLacks("d/f")),
            Scenario.of(r, "utimens of a symlink (no follow) copies up the link only")
                .root().layers(copyUpLayers())
                .does(utimens("d/s", T2010))
                .expect(upperHas("d/s", EntrySpec.symlink("f").owner(1000, 1000)),
                    shows("d/s", EntrySpec.symlink("f").mtime(T2010 + ".000000000")), upperLacks("d/f"),
                    shows("d/f", file("data").mtime("lower0"))),
            Scenario.of(r, "a fifo is copied up as a fifo with its owner")
                .root().layers(copyUpLayers())
                .does(chmod("d/p", 0600), stat("d/p").givesContaining("fifo 0600 1000:1000"))
                .expect(upperHas("d/p", fifo().mode(0600).owner(1000, 1000)),
                    shows("d/p", fifo().mode(0600).mtime("lower0"))),
            Scenario.of(r, "copy-up creates every missing parent with its own mode, owner, xattrs and times")
                .root().layers(copyUpLayers())
                .does(chmod("a/b/c/f", 0600))
                .expect(upperHas("a", dir().mode(0700).owner(1001, 1001).xattr("user.a", "1")),
                    upperHas("a/b", dir().mode(0711).owner(1002, 1002)),
                    upperHas("a/b/c", dir().mode(0755).owner(0, 0)),
                    upperHas("a/b/c/f", file("deep").mode(0600)),
                    shows("a", dir().mtime("lower0")), shows("a/b", dir().mtime("lower0")),
                    shows("a/b/c", dir().mtime("lower0")), shows("a/b/c/f", file("deep").mtime("lower0"))),
            Scenario.of(r, "append after copy-up keeps the data and adds to it")
                .root().layers(copyUpLayers())
                .does(append("d/f", "+"), read("d/f").gives("data+"))
                .expect(upperHas("d/f", file("data+").owner(1000, 1000).mode(0640).xattr("user.k", "v")),
                    shows("d/f", file("data+").mtime("now"))),
            Scenario.of(r, "chmod of a lower directory copies up the directory alone, not opaque")
                .root().layers(copyUpLayers())
                .does(chmod("d", 0700), readdir("d").gives(".:dir ..:dir f:file p:fifo s:symlink"))
                .expect(upperHas("d", dir().mode(0700).owner(1001, 1002)), upperNotOpaque("d"),
                    upperLacks("d/f"), listing("d", "f", "p", "s")),
            Scenario.of(r, "a file from a deeper lower is copied up from there; the parent from the top lower")
                .layers(Layers.lowers(layer().dir("d", 0700), layer().dir("d", 0755).file("d/f", "deep", 0600)))
                .does(chmod("d/f", 0640))
                .expect(shows("d/f", file("deep").mode(0640).mtime("lower1")),
                    upperHas("d", dir().mode(0700)), shows("d", dir().mode(0700).mtime("lower0"))));
    }

    // ---------------------------------------------------------------- 5 removal
    static List<Scenario> removal() {
        String r = "5 removal";
        return List.of(
            Scenario.of(r, "rmdir of a non-empty merged or lower directory fails with ENOTEMPTY")
                .layers(Layers.lowers(layer().file("d/x", "x").file("e/z", "z")).upper(layer().file("d/y", "y")))
                .does(rmdir("d").fails(ENOTEMPTY), rmdir("e").fails(ENOTEMPTY))
                .expect(listing("d", "x", "y"), listing("e", "z"), upperLacks("e")),
            Scenario.of(r, "rmdir of a directory empty in the view succeeds though the upper holds whiteouts in it")
                .layers(Layers.lowers(layer().file("d/x", "x").dir("d/sub")))
                .does(unlink("d/x"), rmdir("d/sub"), readdir("d").gives(".:dir ..:dir"), rmdir("d"),
                    stat("d").fails(ENOENT))
                .expect(upperWhiteout("d"), hidden("d"), upperLacks("d/x"), upperLacks("d/sub")),
            Scenario.of(r, "rmdir of a merged directory whose lower entries are all whited out below")
                .layers(Layers.lowers(layer().dir("d").whiteout("d/x"), layer().file("d/x", "x")))
                .does(rmdir("d"))
                .expect(upperWhiteout("d"), hidden("d")),
            Scenario.of(r, "unlink of an upper-only file and rmdir of an upper-only dir leave no marker")
                .layers(Layers.lowers(layer().file("keep", "k")).upper(layer().file("u", "u")))
                .does(unlink("u"), write("n", "new"), unlink("n"), mkdir("e"), rmdir("e"))
                .expect(upperLacks("u"), upperLacks("n"), upperLacks("e"), hidden("u"), upperHasNoWhiteouts()),
            Scenario.of(r, "unlink of a directory fails with EISDIR, rmdir of a file with ENOTDIR")
                .layers(Layers.lowers(layer().dir("d").file("f", "f")))
                .does(unlink("d").fails(EISDIR), rmdir("f").fails(ENOTDIR))
                .expect(upperLacks("d"), upperLacks("f"), shows("f", file("f")), shows("d", dir())),
            Scenario.of(r, "rmdir of an opaque upper directory that hides a lower one leaves a whiteout again")
                .layers(Layers.lowers(layer().file("d/x", "x")))
                .does(unlink("d/x"), rmdir("d"), mkdir("d"), write("d/n", "n"), unlink("d/n"), rmdir("d"),
                    stat("d").fails(ENOENT), stat("d/x").fails(ENOENT))
                .expect(upperWhiteout("d"), hidden("d")),
            Scenario.of(r, "unlink inside an opaque directory needs no whiteout: nothing below shows through it")
                .layers(Layers.lowers(layer().file("d/x", "x")))
                .does(unlink("d/x"), rmdir("d"), mkdir("d"), write("d/x", "new"), unlink("d/x"),
                    stat("d/x").fails(ENOENT))
                .expect(upperLacks("d/x"), upperOpaque("d"), listing("d")),
            Scenario.of(r, "removing a name twice: the second time ENOENT")
                .layers(Layers.lowers(layer().file("f", "f").dir("d")))
                .does(unlink("f"), unlink("f").fails(ENOENT), rmdir("d"), rmdir("d").fails(ENOENT))
                .expect(upperWhiteout("f"), upperWhiteout("d")));
    }

    // ---------------------------------------------------------------- 6 rename
    static List<Scenario> renames() {
        String r = "6 rename";
        return List.of(
            Scenario.of(r, "a lower file: copied up to the new name, whiteout at the old")
                .layers(Layers.lowers(layer().file("a", "x", 0600)))
                .does(rename("a", "b"), read("b").gives("x"), stat("a").fails(ENOENT))
                .expect(upperWhiteout("a"), upperHas("b", file("x").mode(0600)),
                    shows("b", file("x").mtime("lower0")), hidden("a")),
            Scenario.of(r, "onto an existing lower file: it is replaced")
                .layers(Layers.lowers(layer().file("a", "A").file("b", "B")))
                .does(rename("a", "b"), read("b").gives("A"))
                .expect(upperWhiteout("a"), upperHas("b", file("A")), listing("", "b")),
            Scenario.of(r, "over a whiteout")
                .layers(Layers.lowers(layer().file("a", "A").file("b", "B")))
                .does(unlink("b"), rename("a", "b"), read("b").gives("A"))
                .expect(upperHas("b", file("A")), upperWhiteout("a"), listing("", "b")),
            Scenario.of(r, "a copied-up file: still a whiteout at the old name, the lower hidden")
                .layers(Layers.lowers(layer().file("a", "x")))
                .does(append("a", "y"), rename("a", "b"), read("b").gives("xy"), stat("a").fails(ENOENT))
                .expect(upperWhiteout("a"), upperHas("b", file("xy"))),
            Scenario.of(r, "a pure-upper directory onto a whiteout of a lower directory: opaque, the whiteout gone")
                .layers(Layers.lowers(layer().file("d/x", "x")))
                .does(unlink("d/x"), rmdir("d"), mkdir("n"), write("n/f", "f"), rename("n", "d"),
                    readdir("d").gives(".:dir ..:dir f:file"), stat("d/x").fails(ENOENT))
                .expect(upperOpaque("d"), upperLacks("n"), listing("d", "f"), hidden("n")),
            Scenario.of(r, "EXCHANGE of a pure-upper directory and a lower file in a merged parent")
                .layers(Layers.lowers(layer().file("f", "F")))
                .does(mkdir("n"), write("n/x", "x"), renameExchange("n", "f"), read("n").gives("F"),
                    readdir("f").gives(".:dir ..:dir x:file"))
                .expect(shows("n", file("F")), listing("f", "x"), upperOpaque("f"), upperHasNoWhiteouts()),
            Scenario.of(r, "EXCHANGE puts a directory where a lower directory was hidden: what it hid stays hidden")
                .layers(Layers.lowers(layer().file("g/x", "x")))
                .does(unlink("g/x"), rmdir("g"), write("g", "file over the whiteout"), mkdir("n"),
                    write("n/y", "y"), renameExchange("n", "g"), readdir("g").gives(".:dir ..:dir y:file"),
                    stat("g/x").fails(ENOENT), remount(), readdir("g").gives(".:dir ..:dir y:file"))
                .expect(listing("g", "y"), upperOpaque("g"), shows("n", file("file over the whiteout"))),
            Scenario.of(r, "a pure-upper directory renamed within a pure-upper parent stays non-opaque")
                .layers(Layers.lowers(layer().file("keep", "k")))
                .does(mkdir("p"), mkdir("p/a"), rename("p/a", "p/b"), mkdir("m"), rename("m", "p/m"))
                .expect(upperNotOpaque("p/b"), upperNotOpaque("p/m"), listing("p", "b", "m")),
            Scenario.of(r, "EXCHANGE with a missing name fails with ENOENT")
                .layers(Layers.lowers(layer().file("f", "F")))
                .does(renameExchange("f", "nope").fails(ENOENT))
                .expect(upperLacks("f")),
            Scenario.of(r, "an upper-only file leaves no whiteout")
                .layers(Layers.lowers(layer().file("keep", "k")))
                .does(write("n", "n"), rename("n", "m"))
                .expect(upperLacks("n"), upperHas("m", file("n")), upperHasNoWhiteouts()),
            Scenario.of(r, "a file into another directory: both parents copied up")
                .layers(Layers.lowers(layer().file("s/f", "f").dir("t", 0700)))
                .does(rename("s/f", "t/f"), read("t/f").gives("f"))
                .expect(upperWhiteout("s/f"), upperHas("t", dir().mode(0700)), upperHas("t/f", file("f")),
                    listing("s")),
            Scenario.of(r, "a pure-upper directory renames with its content")
                .layers(Layers.lowers(layer().file("keep", "k")))
                .does(mkdir("n"), write("n/f", "f"), rename("n", "n2"), read("n2/f").gives("f"),
                    stat("n").fails(ENOENT))
                .expect(upperLacks("n"), listing("n2", "f"), hidden("n"), upperHasNoWhiteouts()),
            Scenario.of(r, "a directory that exists in a lower cannot move: EXDEV (no redirect_dir)")
                .layers(Layers.lowers(layer().file("d/x", "x").file("l/y", "y")))
                .does(rename("d", "e").fails(EXDEV), write("l/n", "n"), rename("l", "e").fails(EXDEV))
                .expect(listing("d", "x"), listing("l", "n", "y"), hidden("e")),
            Scenario.of(r, "a pure-upper directory over an empty lower directory")
                .layers(Layers.lowers(layer().dir("y")))
                .does(mkdir("x"), write("x/f", "f"), rename("x", "y"), readdir("y").gives(".:dir ..:dir f:file"))
                .expect(upperOpaque("y"), hidden("x"), upperLacks("x")),
            // u1 and u2 live in a pure-upper p: in a merged parent the kernel marks u1 opaque before the upper
            // rename fails with ENOTEMPTY and leaves the mark (invisible, but it would blur the upper comparison)
            Scenario.of(r, "errors: EISDIR, ENOTDIR, ENOTEMPTY, ENOENT, EEXIST with NOREPLACE, EINVAL into itself")
                .layers(Layers.lowers(layer().file("f", "f").dir("d").dir("e").file("g", "g")))
                .does(rename("f", "d").fails(EISDIR), rename("e", "f").fails(ENOTDIR),
                    mkdir("p"), mkdir("p/u1"), rename("p/u1", "f").fails(ENOTDIR),
                    mkdir("p/u2"), write("p/u2/z", "z"), rename("p/u1", "p/u2").fails(ENOTEMPTY),
                    rename("nope", "x").fails(ENOENT), renameNoReplace("g", "f").fails(EEXIST),
                    rename("p/u1", "p/u1/sub").fails(EINVAL))
                .expect(shows("f", file("f")), shows("g", file("g")), upperLacks("f"), upperLacks("g"),
                    listing("", "d", "e", "f", "g", "p"), listing("p", "u1", "u2")),
            Scenario.of(r, "NOREPLACE over a whiteout succeeds: a whiteout is not a name")
                .layers(Layers.lowers(layer().file("f", "f").file("g", "g")))
                .does(unlink("f"), renameNoReplace("g", "f"), read("f").gives("g"))
                .expect(upperHas("f", file("g")), upperWhiteout("g")),
            Scenario.of(r, "EXCHANGE of two lower files copies both up and swaps them")
                .layers(Layers.lowers(layer().file("a", "A").file("b", "B")))
                .does(renameExchange("a", "b"), read("a").gives("B"), read("b").gives("A"))
                .expect(upperHas("a", file("B")), upperHas("b", file("A")), upperHasNoWhiteouts()),
            Scenario.of(r, "a name onto itself does nothing, not even a copy-up")
                .layers(Layers.lowers(layer().file("a", "A")))
                .does(rename("a", "a"))
                .expect(upperLacks("a"), shows("a", file("A"))));
    }

    // ---------------------------------------------------------------- 7 readdir
    static List<Scenario> readdirRules() {
        String r = "7 readdir";
        return List.of(
            Scenario.of(r, "merged: deduplicated, whiteouts removed, d_type of the top object, . and ..")
                .layers(Layers.lowers(
                        layer().dir("d/a").symlink("d/b", "a").fifo("d/c").whiteout("d/gone"),
                        layer().file("d/b", "b1").dir("d/e").file("d/gone", "g").file("d/a", "la"))
                    .upper(layer().file("d/a", "ua")))
                .does(readdir("d").gives(".:dir ..:dir a:file b:symlink c:fifo e:dir"))
                .expect(listing("d", "a", "b", "c", "e"), shows("d/a", file("ua")),
                    shows("d/b", EntrySpec.symlink("a")), shows("d/c", fifo()), shows("d/e", dir())),
            Scenario.of(r, "the root merges too")
                .layers(Layers.lowers(layer().file("r0", "0"), layer().file("r1", "1").file("r0", "x"))
                    .upper(layer().file("ru", "u")))
                .does(readdir("").gives(".:dir ..:dir r0:file r1:file ru:file"))
                .expect(listing("", "r0", "r1", "ru")),
            Scenario.of(r, "a listing shows changes made through the view at once")
                .layers(Layers.lowers(layer().file("d/x", "x").file("d/y", "y")))
                .does(readdir("d").gives(".:dir ..:dir x:file y:file"), unlink("d/x"), write("d/z", "z"),
                    readdir("d").gives(".:dir ..:dir y:file z:file"), rename("d/y", "d/w"), mkdir("d/s"),
                    readdir("d").gives(".:dir ..:dir s:dir w:file z:file"))
                .expect(listing("d", "s", "w", "z")),
            Scenario.of(r, "readdir of a file fails with ENOTDIR, of a missing name with ENOENT")
                .layers(Layers.lowers(layer().file("f", "f")))
                .does(readdir("f").fails(ENOTDIR), readdir("nope").fails(ENOENT)));
    }

    // ---------------------------------------------------------------- 8 getattr
    static List<Scenario> attributes() {
        String r = "8 getattr";
        return List.of(
            Scenario.of(r, "the top object's attributes are shown")
                .root()
                .layers(Layers.lowers(layer().file("a", "low-longer", 0644))
                    .upper(layer().file("a", "up", 0600).owner("a", 1000, 1000)))
                .does(stat("a").gives("file 0600 1000:1000 nlink=1 size=2 mtime=upper"))
                .expect(shows("a", file("up").mode(0600).owner(1000, 1000))),
            Scenario.of(r, "st_ino is kept across copy-up and across a remount")
                .layers(Layers.lowers(layer().file("a", "a").file("d/x", "x")))
                .does(rememberIno("a0", "a"), rememberIno("d0", "d"), chmod("a", 0600), inoSame("a0", "a").gives("same"),
                    write("d/n", "n"), inoSame("d0", "d").gives("same"), remount(),
                    inoSame("a0", "a").gives("same"), inoSame("d0", "d").gives("same"))
                .expect(upperHas("a", file("a").mode(0600)), upperHas("d", dir())),
            Scenario.of(r, "st_ino is unique among the objects of a mount")
                .layers(Layers.lowers(layer().file("a", "a").file("d/x", "x"), layer().file("b", "b").file("d/y", "y")))
                .does(chmod("a", 0600), write("c", "c"), inoCompare("a", "b").gives("different"),
                    inoCompare("a", "c").gives("different"), inoCompare("d/x", "d/y").gives("different"),
                    inoCompare("d", "d/x").gives("different")),
            Scenario.of(r, "d_ino in a listing equals st_ino (all layers on one filesystem)")
                .layers(Layers.lowers(layer().file("d/x", "x").file("d/y", "y"), layer().file("d/z", "z")))
                .does(chmod("d/x", 0600), write("d/n", "n"), Ops.dinoMatchesStIno("d").gives("all match")),
            Scenario.of(r, "a merged directory reports nlink 1; a directory of one layer its real count")
                .layers(Layers.lowers(layer().dir("m/s1"), layer().dir("m/s2").dir("only/x").dir("only/y")))
                .does(stat("m").givesContaining("nlink=1 "), stat("").givesContaining("nlink=1 "),
                    stat("only").givesContaining("nlink=4 "), mkdir("n"), mkdir("n/a"),
                    stat("n").givesContaining("nlink=3 "))
                .expect(shows("m", dir().nlink(1)), shows("only", dir().nlink(4)), shows("n", dir().nlink(3))));
    }

    // ---------------------------------------------------------------- 9 private xattrs
    static List<Scenario> privateXattrs() {
        String r = "9 private xattrs";
        return List.of(
            Scenario.of(r, "trusted.overlay.* of a lower object is hidden from list and get")
                .root()
                .layers(Layers.lowers(layer().file("f", "f").xattr("f", "trusted.overlay.foo", "1")
                    .xattr("f", "user.k", "v").opaque("o")))
                .does(listxattr("f").gives("user.k"), getxattr("f", "trusted.overlay.foo").fails(ENODATA),
                    listxattr("o").gives(""), getxattr("o", "trusted.overlay.opaque").fails(ENODATA))
                .expect(shows("f", file("f").xattr("user.k", "v").noXattr("trusted.overlay.foo"))),
            Scenario.of(r, "copy-up bookkeeping (origin and the like) never shows")
                .root()
                .layers(Layers.lowers(layer().file("f", "f").file("d/x", "x")))
                .does(chmod("f", 0600), write("d/n", "n"), listxattr("f").gives(""), listxattr("d").gives(""),
                    getxattr("f", "trusted.overlay.origin").fails(ENODATA))
                .expect(shows("f", file("f").noXattrs()), shows("d", dir().noXattrs())),
            Scenario.of(r, "user.overlay.* and user.fuseoverlayfs.* are private too")
                .engineOnly("a root kernel mount treats user.overlay.* as ordinary xattrs (private only with "
                    + "userxattr); jovl hides all three namespaces whatever it writes")
                .layers(Layers.lowers(layer().file("f", "f").engineOnlyXattr("f", "user.overlay.x", "1")
                    .engineOnlyXattr("f", "user.fuseoverlayfs.y", "2").xattr("f", "user.k", "v")))
                .does(listxattr("f").gives("user.k"), getxattr("f", "user.overlay.x").fails(ENODATA),
                    getxattr("f", "user.fuseoverlayfs.y").fails(ENODATA))
                .expect(shows("f", file("f").xattr("user.k", "v"))),
            Scenario.of(r, "setting or removing an overlay-private xattr is refused with EOPNOTSUPP, no copy-up")
                .engineOnly("kernel >= 6.7 escapes trusted.overlay.X set through a mount (stores "
                    + "trusted.overlay.overlay.X); jovl refuses it by design, see README 'Differences'")
                .layers(Layers.lowers(layer().file("f", "f")))
                .does(setxattr("f", "trusted.overlay.foo", "1").fails(EOPNOTSUPP),
                    setxattr("f", "user.overlay.x", "1").fails(EOPNOTSUPP),
                    setxattr("f", "user.fuseoverlayfs.y", "1").fails(EOPNOTSUPP),
                    removexattr("f", "trusted.overlay.foo").fails(EOPNOTSUPP))
                .expect(upperLacks("f")));
    }

    // ---------------------------------------------------------------- 11 cache
    static List<Scenario> caching() {
        String r = "11 cache";
        // every row runs with the cache on and off; this one makes stale entries most likely
        return List.of(
            Scenario.of(r, "lookups after each change see the change")
                .layers(Layers.lowers(layer().file("d/x", "x").file("a", "a")))
                .does(stat("n").fails(ENOENT), write("n", "1"), stat("n").givesContaining("file "),
                    unlink("n"), stat("n").fails(ENOENT), mkdir("n"), stat("n").givesContaining("dir "),
                    write("n/f", "f"), rename("n", "m"), stat("n/f").fails(ENOENT), read("m/f").gives("f"),
                    unlink("a"), stat("a").fails(ENOENT), mkdir("a"), stat("a").givesContaining("dir "),
                    unlink("d/x"), rmdir("d"), stat("d/x").fails(ENOENT), mkdir("d"), stat("d/x").fails(ENOENT),
                    readdir("").gives(".:dir ..:dir a:dir d:dir m:dir"))
                .expect(listing("d"), listing("m", "f"), upperOpaque("d"), upperOpaque("a")));
    }

    // ---------------------------------------------------------------- 12 errnos
    static List<Scenario> errnos() {
        String r = "12 errno";
        String tooLong = tooLongName();
        return List.of(
            Scenario.of(r, "ENOENT for a missing name or parent")
                .layers(Layers.lowers(layer().file("f", "f")))
                .does(stat("nope").fails(ENOENT), read("nope").fails(ENOENT), unlink("nope").fails(ENOENT),
                    rmdir("nope").fails(ENOENT), mkdir("nope/d").fails(ENOENT), chmod("nope", 0600).fails(ENOENT),
                    write("nope/f", "x").fails(ENOENT), getxattr("nope", "user.x").fails(ENOENT),
                    readlink("nope").fails(ENOENT), link("nope", "x").fails(ENOENT),
                    truncate("nope", 0).fails(ENOENT), openForWrite("nope").fails(ENOENT))
                .expect(listing("", "f"), upperLacks("f")),
            Scenario.of(r, "EEXIST for a name a lower already shows, and nothing copied up")
                .layers(Layers.lowers(layer().file("f", "f").dir("d").symlink("s", "f")))
                .does(mkdir("d").fails(EEXIST), mkdir("f").fails(EEXIST), symlink("x", "f").fails(EEXIST),
                    link("f", "d").fails(EEXIST), mkfifo("s").fails(EEXIST), createExclusive("f").fails(EEXIST))
                .expect(upperLacks("f"), upperLacks("d"), upperLacks("s")),
            Scenario.of(r, "ENOTDIR for a file used as a directory")
                .layers(Layers.lowers(layer().file("f", "f")))
                .does(stat("f/x").fails(ENOTDIR), mkdir("f/x").fails(ENOTDIR), write("f/x", "x").fails(ENOTDIR),
                    readdir("f").fails(ENOTDIR))
                .expect(upperLacks("f")),
            Scenario.of(r, "EISDIR for a directory used as a file")
                .layers(Layers.lowers(layer().dir("d")))
                .does(openForWrite("d").fails(EISDIR), write("d", "x").fails(EISDIR), read("d").fails(EISDIR),
                    truncate("d", 0).fails(EISDIR))
                .expect(upperLacks("d")),
            Scenario.of(r, "ENAMETOOLONG for a 256-byte name")
                .does(mkdir(tooLong).fails(ENAMETOOLONG), stat(tooLong).fails(ENAMETOOLONG),
                    write(tooLong, "x").fails(ENAMETOOLONG), symlink("x", tooLong).fails(ENAMETOOLONG))
                .expect(listing("")),
            Scenario.of(r, "EPERM for a hard link to a directory")
                .layers(Layers.lowers(layer().dir("d")))
                .does(link("d", "e").fails(EPERM), mkdir("n"), link("n", "n2").fails(EPERM))
                .expect(hidden("e"), hidden("n2"), upperLacks("d")),
            Scenario.of(r, "ENODATA for an absent xattr; EINVAL for readlink of a non-symlink")
                .layers(Layers.lowers(layer().file("f", "f")))
                .does(getxattr("f", "user.none").fails(ENODATA), removexattr("f", "user.none").fails(ENODATA),
                    readlink("f").fails(EINVAL))
                .expect(upperLacks("f")));
    }

    // ---------------------------------------------------------------- links, symlinks, fifos
    static List<Scenario> objects() {
        String r = "objects";
        return List.of(
            Scenario.of(r, "hard link of a lower file: copied up, then linked; both names one file")
                .layers(Layers.lowers(layer().file("a", "x").xattr("a", "user.k", "v")))
                .does(link("a", "b"), read("b").gives("x"), stat("a").givesContaining("nlink=2 "),
                    inoCompare("a", "b").gives("equal"), append("b", "y"), read("a").gives("xy"))
                .expect(shows("a", file("xy").nlink(2).xattr("user.k", "v")), shows("b", file("xy").nlink(2)),
                    upperHas("a", file("xy")), upperHas("b", file("xy")), upperHasNoWhiteouts()),
            // no read through the link: following symlinks is the VFS's job, the engine API takes resolved paths
            Scenario.of(r, "symlink: made in the upper (parent copied up), read back, not followed by lstat")
                .layers(Layers.lowers(layer().dir("d").file("t", "t")))
                .does(symlink("../t", "d/s"), readlink("d/s").gives("../t"), stat("d/s").givesContaining("symlink "))
                .expect(upperHas("d/s", EntrySpec.symlink("../t")), upperNotOpaque("d")),
            Scenario.of(r, "link, symlink, mknod and O_EXCL create over whiteouts replace them")
                .layers(Layers.lowers(layer().file("a", "A").file("b", "B").dir("c").file("d", "D").file("e", "E")))
                .does(unlink("b"), rmdir("c"), unlink("d"), unlink("e"), link("a", "b"), symlink("a", "c"),
                    mkfifo("d"), createExclusive("e"), read("b").gives("A"), readlink("c").gives("a"),
                    readdir("").gives(".:dir ..:dir a:file b:file c:symlink d:fifo e:file"))
                .expect(upperHasNoWhiteouts(), shows("b", file("A").nlink(2)), shows("c", EntrySpec.symlink("a")),
                    shows("d", fifo()), shows("e", file(""))),
            Scenario.of(r, "new objects in a setgid lower directory take its group; new dirs keep the bit")
                .root()
                .layers(Layers.lowers(layer().dir("s", 02775).owner("s", 0, 1234).mode("s", 02775)))
                .does(write("s/f", "f"), mkdir("s/d"), stat("s/f").givesContaining(" 0:1234 "),
                    stat("s/d").givesContaining("dir 2755 0:1234 "))
                .expect(shows("s", dir().mode(02775).owner(0, 1234)), upperHas("s", dir().mode(02775)),
                    shows("s/f", file("f").owner(0, 1234)), shows("s/d", dir().mode(02755).owner(0, 1234))),
            // FUSE hands the engine resolved paths, but the API takes any path: a call on a symlink must not
            // follow it on the host, where a relative target can point into another layer's raw directory
            Scenario.of(r, "engine calls on a symlink never reach through it into a raw layer")
                .engineOnly("the kernel resolves the link in the merged view; this is about the engine API itself")
                .layers(Layers.lowers(layer().symlink("s", "../lower1/secret"), layer().file("secret", "keep")))
                .does(truncate("s", 0).anyResult(), chmod("s", 0600).anyResult(), openTrunc("s").anyResult(),
                    utimens("s", T2010).anyResult())
                .expect(shows("s", EntrySpec.symlink("../lower1/secret")), shows("secret", file("keep"))),
            Scenario.of(r, "a device node can be made (root); a 0/0 char device cannot, it would be a whiteout")
                .root()
                .layers(Layers.lowers(layer().file("keep", "k")))
                .does(mknodChar("null", 1, 3), stat("null").givesContaining("char 0644 "),
                    mknodChar("w", 0, 0).fails(EPERM), stat("w").fails(ENOENT))
                .expect(listing("", "keep", "null"), upperLacks("w")),
            // the VFS refuses user.* on symlinks (xattr_permission) before the filesystem is asked: no copy-up
            Scenario.of(r, "user.* xattrs on a symlink are refused with EPERM, before any copy-up")
                .layers(Layers.lowers(layer().symlink("s", "t")))
                .does(setxattr("s", "user.x", "1").fails(EPERM), listxattr("s").gives(""))
                .expect(shows("s", EntrySpec.symlink("t").noXattrs()), upperLacks("s")),
            Scenario.of(r, "fifo: mknod makes a fifo in the upper")
                .layers(Layers.lowers(layer().dir("d")))
                .does(mkfifo("d/p"), stat("d/p").givesContaining("fifo 0644 "))
                .expect(upperHas("d/p", fifo().mode(0644)), shows("d/p", fifo())));
    }

    // ---------------------------------------------------------------- open files
    static List<Scenario> openFiles() {
        String r = "open files";
        int ro = Native.O_RDONLY;
        int rw = Native.O_RDWR;
        return List.of(
            // the kernel re-opens the real file of a read-only fd after copy-up (stacked file ops, 4.19+)
            Scenario.of(r, "a read-only file opened before copy-up sees what a writer wrote after it")
                .layers(Layers.lowers(layer().file("a", "old")))
                .does(hold("r", "a", ro), readHeld("r").gives("old"), write("a", "new"), readHeld("r").gives("new"),
                    closeHeld("r"))
                .expect(upperHas("a", file("new"))),
            Scenario.of(r, "a file open for write keeps writing to the same file after a rename")
                .layers(Layers.lowers(layer().file("a", "aaaa")))
                .does(hold("w", "a", rw), rename("a", "b"), writeHeld("w", "BB"), closeHeld("w"),
                    read("b").gives("BBaa"))
                .expect(shows("b", file("BBaa")), upperWhiteout("a")),
            Scenario.of(r, "an unlinked open file stays readable and writable through its handle")
                .layers(Layers.lowers(layer().file("a", "data")))
                .does(hold("w", "a", rw), unlink("a"), readHeld("w").gives("data"), writeHeld("w", "DA"),
                    readHeld("w").gives("DAta"), stat("a").fails(ENOENT), closeHeld("w"))
                .expect(hidden("a"), upperWhiteout("a")));
    }

    // ---------------------------------------------------------------- read-only overlay
    static Layers readOnlyLayers() {
        // the kernel needs two lowers to mount without an upper
        return Layers.lowers(layer().file("f", "x").file("d/g", "g").symlink("s", "f"), layer().file("b", "b"))
            .readOnly();
    }

    static List<Scenario> readOnly() {
        String r = "read-only";
        return List.of(
            Scenario.of(r, "without an upper, reads work and every change fails with EROFS")
                .layers(readOnlyLayers())
                .does(read("f").gives("x"), readdir("").gives(".:dir ..:dir b:file d:dir f:file s:symlink"),
                    write("f", "y").fails(EROFS), openForWrite("f").fails(EROFS), openTrunc("f").fails(EROFS),
                    append("f", "y").fails(EROFS), write("new", "n").fails(EROFS), mkdir("n").fails(EROFS),
                    mkfifo("p").fails(EROFS), symlink("x", "s2").fails(EROFS), link("f", "f2").fails(EROFS),
                    unlink("f").fails(EROFS), rmdir("d").fails(EROFS), rename("f", "g2").fails(EROFS),
                    chmod("f", 0600).fails(EROFS), chown("f", 1, 1).fails(EROFS), truncate("f", 0).fails(EROFS),
                    utimens("f", T2010).fails(EROFS), setxattr("f", "user.x", "1").fails(EROFS),
                    removexattr("f", "user.x").fails(EROFS))
                .expect(shows("f", file("x").mtime("lower0")), listing("", "b", "d", "f", "s")),
            Scenario.of(r, "without an upper, lookup errors come before EROFS, in the VFS's order")
                .layers(readOnlyLayers())
                .does(mkdir("d").fails(EEXIST), symlink("x", "f").fails(EEXIST), createExclusive("f").fails(EEXIST),
                    chmod("nope", 0600).fails(ENOENT), mkdir("nope/x").fails(ENOENT),
                    openForWrite("nope").fails(ENOENT))
                .expect(listing("", "b", "d", "f", "s")));
    }
}
