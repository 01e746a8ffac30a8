/*
 * py_model.h - the Python front end's entry (prefix: py_): a model file
 * (MODELPY.md) made into a net whose forward() is the file's.
 */
#ifndef PROBE_PY_MODEL_H
#define PROBE_PY_MODEL_H

#include "model/net.h"

/* Builds net from the model file text[0, len): parses it, runs its top
 * level, picks the model (spec: --model's NAME or 'NAME(args)', or NULL)
 * and builds it. On an error the net is invalid with it (net->error). */
void py_build(probe_net *net, const char *text, size_t len, const char *spec);

#endif
