namespace Cosmos.Embeddings.Onnx;

/// <summary>How the token vectors of a sentence-transformer's last layer become one sentence vector.</summary>
public enum OnnxPoolingMode
{
    /// <summary>The mean of the token vectors under the attention mask (padding excluded); sentence-transformers' <c>pooling_mode_mean_tokens</c>.</summary>
    Mean = 0,

    /// <summary>The vector of the first token (<c>[CLS]</c>); sentence-transformers' <c>pooling_mode_cls_token</c>.</summary>
    Cls = 1,

    /// <summary>The element-wise maximum of the token vectors under the attention mask; sentence-transformers' <c>pooling_mode_max_tokens</c>.</summary>
    Max = 2,
}
