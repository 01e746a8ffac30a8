/*
 * build.h - the net.cfg front end's entry: net.cfg or print(model) text to
 * the module tree of model/net.h (prefix: cfg_).
 */
#ifndef PROBE_CFG_BUILD_H
#define PROBE_CFG_BUILD_H

#include "model/net.h"

/* Parses text[0, len) and fills in net's module tree: its layers, bound
 * to their ops, its containers, the implicit flatten. A config wrong
 * whatever the input leaves net->invalid and net->error set; out of
 * memory leaves net->ar.failed. The tree points into text and net->ar. */
void cfg_build(probe_net *net, const char *text, size_t len);

#endif
