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

/* print(model) text whose containers include torchvision's classes: the
 * tree cfg/build.c made runs through probe's torchvision library, each
 * such container getting its class's forward() (py_print.c). On an error
 * the net is invalid with it. */
void py_print_attach(probe_net *net);
/* Whether probe's torchvision library defines a class of that name. */
bool py_zoo_has_class(const char *name);

/* ---- the front end's own, shared by py_model.c and py_print.c ---- */
#include "py/py_interp.h"

/* What the front end keeps with the net for its runs. */
typedef struct py_front {
    py P;                   /* the state after building; each run copies it */
    pyval model;
    arg_store *store;
} py_front;

/* A front end ready to build (NULL when out of memory: net->ar.failed). */
py_front *py_front_new(probe_net *net, const char *text, size_t len);
/* Frees it (the net's front_free). */
void py_front_free(void *front);
/* The net's forward(): the model's, interpreted. */
bool py_forward(probe_result *res, probe_tensor *x);
#endif
