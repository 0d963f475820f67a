// ModelFiles: readers and writers for the files models live in (GGUF, safetensors) and the
// model cache where set-up puts them.
