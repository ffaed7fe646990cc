package io.github.jovl.scenario;

import io.github.jovl.fs.FileType;
import io.github.jovl.fs.FsException;
import io.github.jovl.fs.Stat;
import io.github.jovl.sys.Native;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The content of one layer, written as a list of steps (jimfs-style) so that identical copies can be made for
 * every driver run. Parents are created as needed (0755). Markers can be written in the kernel's form (0/0 char
 * device, trusted.overlay.opaque=y, xattr whiteouts) or in the forms only jovl reads (".wh." files,
 * ".wh..wh..opq", user.overlay.*, user.fuseoverlayfs.*); a layer using the latter is not kernel-readable.
 * The kernel-form xattr markers are written with the prefix the backend reads: trusted.overlay. for a root
 * mount, user.overlay. for an unprivileged one (userxattr), which cannot write trusted.* at all.
 */
public final class LayerSpec {
    private interface Step {
        void apply(Path root) throws Exception;
    }

    /** A step that writes xattr markers: markerPrefix is "trusted.overlay." or "user.overlay.". */
    private interface MarkerStep {
        void apply(Path root, String markerPrefix) throws Exception;
    }

    private final List<MarkerStep> steps = new ArrayList<>();
    private final List<String> describe = new ArrayList<>();
    private boolean kernelReadable = true;
    private boolean xattrMarkers;

    public static LayerSpec layer() {
        return new LayerSpec();
    }

    public boolean kernelReadable() {
        return kernelReadable;
    }

    /** Whether it holds xattr markers in the kernel's form, which only root may write as trusted.*. */
    public boolean xattrMarkers() {
        return xattrMarkers;
    }

    private LayerSpec step(String what, Step s) {
        return markerStep(what, (root, markerPrefix) -> s.apply(root));
    }

    private LayerSpec markerStep(String what, MarkerStep s) {
        describe.add(what);
        steps.add(s);
        return this;
    }

    private LayerSpec engineOnly(String what, Step s) {
        kernelReadable = false;
        return step(what, s);
    }

    public LayerSpec file(String path, String content) {
        return file(path, content, 0644);
    }

    public LayerSpec file(String path, String content, int mode) {
        return step(path + "=\"" + content + "\"", root -> {
            Path f = parents(root, path);
            Files.write(f, content.getBytes(StandardCharsets.UTF_8));
            Native.chmod(f.toString(), mode);
        });
    }

    public LayerSpec dir(String path) {
        return dir(path, 0755);
    }

    public LayerSpec dir(String path, int mode) {
        return step(path + "/", root -> {
            Path d = parents(root, path);
            if (!Files.isDirectory(d)) {
                Native.mkdir(d.toString(), 0700);
            }
            Native.chmod(d.toString(), mode);
        });
    }

    public LayerSpec symlink(String path, String target) {
        return step(path + "->" + target, root -> Native.symlink(target, parents(root, path).toString()));
    }

    public LayerSpec fifo(String path) {
        return step(path + "|", root -> {
            Path f = parents(root, path);
            Native.mknod(f.toString(), FileType.FIFO.bits | 0644, 0);
            Native.chmod(f.toString(), 0644);
        });
    }

    /** A second name for an existing object of this layer. */
    public LayerSpec hardlink(String path, String existing) {
        return step(path + "=link(" + existing + ")",
                root -> Native.link(root.resolve(existing).toString(), parents(root, path).toString()));
    }

    public LayerSpec xattr(String path, String name, String value) {
        return step(path + "[" + name + "=" + value + "]", root -> Native.setxattr(root.resolve(path).toString(),
                name, value.getBytes(StandardCharsets.UTF_8), 0));
    }

    public LayerSpec owner(String path, int uid, int gid) {
        return step(path + "(" + uid + ":" + gid + ")", root -> Native.lchown(root.resolve(path).toString(), uid, gid));
    }

    public LayerSpec mode(String path, int mode) {
        return step(path + "(" + Integer.toOctalString(mode) + ")",
                root -> Native.chmod(root.resolve(path).toString(), mode));
    }

    /** The kernel's whiteout: a 0/0 character device. */
    public LayerSpec whiteout(String path) {
        return step(path + "=whiteout", root -> Native.mknod(parents(root, path).toString(), FileType.CHAR.bits, 0));
    }

    /** The kernel's opaque directory: trusted.overlay.opaque=y (user.overlay.opaque=y for userxattr). */
    public LayerSpec opaque(String path) {
        dir(path);
        xattrMarkers = true;
        return markerStep(path + "[overlay.opaque=y]", (root, prefix) -> Native.setxattr(
                root.resolve(path).toString(), prefix + "opaque", "y".getBytes(StandardCharsets.US_ASCII), 0));
    }

    /**
     * The kernel's (6.7+) whiteout for nested overlays: a zero-size file with overlay.whiteout, in a directory
     * marked overlay.opaque=x ("holds xattr whiteouts", not opaque). The kernel filters these in merged
     * directories only, so use it where a layer below has the directory too.
     */
    public LayerSpec xattrWhiteout(String path) {
        xattrMarkers = true;
        return xattrWhiteout(path, null);
    }

    /** fixed: the xattr prefix to write, or null for the backend's marker prefix. */
    private LayerSpec xattrWhiteout(String path, String fixed) {
        return markerStep(path + "=" + (fixed == null ? "overlay." : fixed) + "whiteout", (root, markerPrefix) -> {
            String prefix = fixed == null ? markerPrefix : fixed;
            Path f = parents(root, path);
            Files.write(f, new byte[0]);
            Native.setxattr(f.toString(), prefix + "whiteout", "y".getBytes(StandardCharsets.US_ASCII), 0);
            Native.setxattr(f.getParent().toString(), prefix + "opaque", "x".getBytes(StandardCharsets.US_ASCII), 0);
        });
    }

    /** The user.* form of {@link #xattrWhiteout} (a userxattr mount reads it; the root kernel mount does not). */
    public LayerSpec xattrWhiteoutUser(String path) {
        kernelReadable = false;
        return xattrWhiteout(path, "user.overlay.");
    }

    /** The AUFS / fuse-overlayfs whiteout: an empty ".wh.NAME" file beside NAME. */
    public LayerSpec whiteoutFile(String path) {
        return engineOnly(path + "=.wh.", root -> {
            Path f = parents(root, path);
            Files.write(f.resolveSibling(".wh." + f.getFileName()), new byte[0]);
        });
    }

    /** The AUFS / fuse-overlayfs opaque directory: a ".wh..wh..opq" file inside it. */
    public LayerSpec opaqueWhFile(String path) {
        dir(path);
        return engineOnly(path + "/.wh..wh..opq", root -> Files.write(root.resolve(path).resolve(".wh..wh..opq"),
                new byte[0]));
    }

    public LayerSpec opaqueUser(String path) {
        dir(path);
        kernelReadable = false;
        return xattr(path, "user.overlay.opaque", "y");
    }

    public LayerSpec opaqueFuseOverlayfs(String path) {
        dir(path);
        kernelReadable = false;
        return xattr(path, "user.fuseoverlayfs.opaque", "y");
    }

    /** An xattr in a namespace the root kernel mount does not treat as its own (user.overlay.*, ...). */
    public LayerSpec engineOnlyXattr(String path, String name, String value) {
        kernelReadable = false;
        return xattr(path, name, value);
    }

    /**
     * Creates this layer in root (which must exist), kernel-form xattr markers under markerPrefix, and stamps
     * every object with mtimeSec.
     */
    void materialize(Path root, String markerPrefix, long mtimeSec) throws Exception {
        for (MarkerStep s : steps) {
            s.apply(root, markerPrefix);
        }
        stampTimes(root.toString(), mtimeSec);
    }

    /** Children first, so writing a child does not move its directory's time again. */
    private static void stampTimes(String path, long sec) throws FsException {
        Stat st = Native.lstat(path);
        if (st.isDir()) {
            for (var e : Native.readdir(path)) {
                stampTimes(path + "/" + e.name(), sec);
            }
        }
        Native.utimens(path, sec, 0, sec, 0);
    }

    private static Path parents(Path root, String path) throws Exception {
        Path p = root.resolve(path);
        Path parent = p.getParent();
        if (!Files.isDirectory(parent)) {
            Files.createDirectories(parent);
        }
        return p;
    }

    @Override
    public String toString() {
        return String.join(" ", describe);
    }
}
