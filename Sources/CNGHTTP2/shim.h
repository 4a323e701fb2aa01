#ifndef GRPC_GATEWAY_CNGHTTP2_SHIM_H
#define GRPC_GATEWAY_CNGHTTP2_SHIM_H

#include <nghttp2/nghttp2.h>

/// NGHTTP2_INITIAL_WINDOW_SIZE is a shifted-expression macro Swift does not import.
static inline int cnghttp2_initial_window_size(void) { return NGHTTP2_INITIAL_WINDOW_SIZE; }

#endif
