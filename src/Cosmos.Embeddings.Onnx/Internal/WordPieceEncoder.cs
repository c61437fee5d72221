using Microsoft.ML.Tokenizers;

namespace Cosmos.Embeddings.Onnx.Internal;

/// <summary>Turns text into BERT input ids: <c>[CLS] word pieces [SEP]</c>, truncated to the model's sequence length.</summary>
internal sealed class WordPieceEncoder
{
    private readonly BertTokenizer _tokenizer;
    private readonly int _maxPieces;

    private readonly bool _lowerCase;
    private readonly bool _stripAccents;

    public WordPieceEncoder(string vocabularyPath, bool lowerCase, bool stripAccents, int maxSequenceLength)
    {
        // The basic tokenization (cleaning, lower-casing, accents, CJK, punctuation) is BertTextNormalizer's, which follows
        // Hugging Face's; the tokenizer here only splits the resulting words into word pieces.
        _tokenizer = BertTokenizer.Create(vocabularyPath, new BertOptions
        {
            LowerCaseBeforeTokenization = false,
            RemoveNonSpacingMarks = false,
            ApplyBasicTokenization = false,
            IndividuallyTokenizeCjk = false,
            SplitOnSpecialTokens = false,
        });
        _lowerCase = lowerCase;
        _stripAccents = stripAccents;
        MaxSequenceLength = maxSequenceLength;

        // Two positions are taken by [CLS] and [SEP].
        _maxPieces = maxSequenceLength - 2;
    }

    public int MaxSequenceLength { get; }

    public int ClassificationTokenId => _tokenizer.ClassificationTokenId;

    public int SeparatorTokenId => _tokenizer.SeparatorTokenId;

    public int PaddingTokenId => _tokenizer.PaddingTokenId;

    /// <summary>Encodes one text; <see cref="EncodedInput.TokenCount"/> is its length before truncation.</summary>
    public EncodedInput Encode(string text)
    {
        var pieces = _tokenizer.EncodeToIds(BertTextNormalizer.Normalize(text, _lowerCase, _stripAccents), addSpecialTokens: false);
        var kept = Math.Min(pieces.Count, _maxPieces);
        var ids = new long[kept + 2];
        ids[0] = _tokenizer.ClassificationTokenId;
        for (var i = 0; i < kept; i++)
        {
            ids[i + 1] = pieces[i];
        }

        ids[kept + 1] = _tokenizer.SeparatorTokenId;
        return new EncodedInput(ids, pieces.Count + 2);
    }
}

/// <summary>One input's ids with special tokens, and the token count it had before truncation.</summary>
internal readonly record struct EncodedInput(long[] Ids, int TokenCount)
{
    public bool IsTruncated => TokenCount > Ids.Length;
}
