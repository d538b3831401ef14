package dev.glint.metadef;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/** A namespace with what it holds, as {@code GET /v2/metadefs/namespaces/{namespace}} shows it. */
record NamespaceDetail(
    Namespace namespace,
    List<ResourceTypeAssociation> associations,
    ObjectNode properties,
    List<MetadefObject> objects,
    List<MetadefTag> tags) {}
