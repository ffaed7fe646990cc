package io.github.jovl.oci;

/** A container (container.json): a writable upper and work dir over an image's layers. */
public record ContainerInfo(String name, String image, String created) {
    public Digest imageDigest() {
        return new Digest(image.substring(Digest.ALGORITHM.length() + 1));
    }
}
