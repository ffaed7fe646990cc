package io.github.jovl.oci;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.regex.Pattern;

/** Containers by name: each has upper/ and work/ (one filesystem, as overlayfs needs) and container.json. */
public final class ContainerStore {
    private static final Pattern NAME = Pattern.compile("[a-zA-Z0-9][a-zA-Z0-9_.-]{0,127}");
    private final Store store;

    public ContainerStore(Store store) {
        this.store = store;
    }

    public Path dir(String name) {
        return store.containersDir().resolve(name);
    }

    public Path upper(String name) {
        return dir(name).resolve("upper");
    }

    public Path work(String name) {
        return dir(name).resolve("work");
    }

    public boolean exists(String name) {
        return Files.isRegularFile(dir(name).resolve("container.json"));
    }

    public ContainerInfo get(String name) throws IOException {
        if (!NAME.matcher(name).matches() || !exists(name)) {
            throw new StoreException("no container " + name);
        }
        return store.readJson(dir(name).resolve("container.json"), ContainerInfo.class);
    }

    /**
     * The container of that name, made if it does not exist (staged, then renamed into place). An existing
     * container of another image is refused: its upper holds changes to other layers.
     */
    public ContainerInfo createOrReuse(String name, ImageInfo image) throws IOException {
        String n = name == null ? image.digest().shortHex() + "-" + UUID.randomUUID().toString().substring(0, 8)
                : name;
        if (!NAME.matcher(n).matches()) {
            throw new StoreException("invalid container name " + n + " (letters, digits, '_', '.', '-')");
        }
        return store.locked(() -> {
            if (exists(n)) {
                ContainerInfo c = get(n);
                if (!c.image().equals(image.id())) {
                    throw new StoreException("container " + n + " belongs to image " + c.imageDigest().shortHex());
                }
                if (inUse(n)) {
                    throw new StoreException("container " + n + " is mounted already; unmount it first");
                }
                return c;
            }
            Path stage = store.newStaging("container");
            Files.createDirectory(stage.resolve("upper"));
            Files.createDirectory(stage.resolve("work"));
            ContainerInfo c = new ContainerInfo(n, image.id(), Instant.now().toString());
            store.writeJson(stage.resolve("container.json"), c);
            if (!store.publish(stage, dir(n))) {
                throw new StoreException("container " + n + " exists already");
            }
            return c;
        });
    }

    public List<ContainerInfo> list() throws IOException {
        List<ContainerInfo> out = new ArrayList<>();
        try (var s = Files.list(store.containersDir())) {
            for (Path p : s.sorted().toList()) {
                if (Files.isRegularFile(p.resolve("container.json"))) {
                    out.add(store.readJson(p.resolve("container.json"), ContainerInfo.class));
                }
            }
        }
        return out;
    }

    public List<ContainerInfo> of(Digest image) throws IOException {
        return list().stream().filter(c -> c.image().equals(image.toString())).toList();
    }

    /**
     * Whether a mount uses the container: jovl's FUSE daemon holds an flock on the workdir, a kernel overlay
     * names the upper in its mount options.
     */
    public boolean inUse(String name) throws IOException {
        int fd = io.github.jovl.layer.FileIo.lockDir(work(name).toString());
        if (fd < 0) {
            return true;
        }
        io.github.jovl.sys.Native.close(fd);
        String upperOption = "upperdir=" + upper(name);
        for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
            for (String opt : line.substring(line.lastIndexOf(' ') + 1).split(",")) {
                if (opt.equals(upperOption)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Removes a container and its changes; refused while it is mounted. */
    public void remove(String name) throws IOException {
        get(name);
        if (inUse(name)) {
            throw new StoreException("container " + name + " is mounted; unmount it first");
        }
        Path trash = store.newStaging("rm");
        Files.move(dir(name), trash.resolve("c"), java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        Trees.delete(trash);
    }
}
