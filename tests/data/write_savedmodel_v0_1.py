# Run once, from the repository root, on keras_elu 0.1 (commit 64d1dda); kept to show how the data was made.
"""Writes tests/data/savedmodel_v0_1: a SavedModel from keras_elu 0.1 (commit 64d1dda) whose graphs
hold KerasElu>Elu, KerasElu>EluGrad and KerasElu>EluGradGrad, so later versions prove they still run it."""
import tensorflow as tf, keras_elu

class Legacy(tf.Module):
    def __init__(self):
        self.alpha = tf.Variable(0.5, dtype=tf.float32)

    @tf.function(input_signature=[tf.TensorSpec([None], tf.float32)])
    def derivatives(self, x):
        with tf.GradientTape() as outer:
            outer.watch(x)
            with tf.GradientTape() as inner:
                inner.watch(x)
                y = keras_elu.elu(x, self.alpha)
            dx = inner.gradient(y, x)
        return {"y": y, "dx": dx, "d2x": outer.gradient(dx, x)}

m = Legacy()
tf.saved_model.save(m, "tests/data/savedmodel_v0_1")
g = m.derivatives.get_concrete_function().graph
print(sorted({op.type for op in g.get_operations() if op.type.startswith("KerasElu")}))
def all_types(gd):
    s = {n.op for n in gd.node}
    for f in gd.library.function: s |= {n.op for n in f.node_def}
    return s
print(sorted(t for t in all_types(g.as_graph_def()) if t.startswith("KerasElu")))
print(m.derivatives(tf.constant([-20.0, -1.0, 0.0, 2.0])))
