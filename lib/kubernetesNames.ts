/*
 * Name forms of the Kubernetes API (kubernetes/apimachinery@v0.36: pkg/util/validation/validation.go), shared
 * by config validation and the components that derive names or hosts.
 */

/** DNS-1123 label: most object names, namespaces, Service ports. */
export const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
/** DNS-1035 label: Service names (must start with a letter). */
export const DNS1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
/** DNS-1123 subdomain: dotted labels, e.g. a label key prefix or a host name. */
export const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
