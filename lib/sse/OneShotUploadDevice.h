// OneShotUploadDevice: a request body that can be read once and never rewound.
//
// QNetworkAccessManager (Qt 6.4) resends a request by itself when the server's close races the
// response, or cuts the response head (docs/reliability.md). It can only resend what it can
// rewind: with this device as the upload data (plus DoNotBufferUploadDataAttribute and an
// explicit Content-Length) every such resend turns into ContentReSendError instead, so one
// request the user asked for is one request on the wire, and every reconnection is Qalam's own.
#pragma once

#include <QByteArray>
#include <QIODevice>

namespace qalam {

class OneShotUploadDevice final : public QIODevice
{
    Q_OBJECT

public:
    // Opened for reading; `body` may be empty (a GET sent as a custom request).
    explicit OneShotUploadDevice(QByteArray body, QObject *parent = nullptr);

    bool isSequential() const override { return true; }
    // Always false: the bytes already handed to the socket are gone.
    bool reset() override { return false; }
    qint64 bytesAvailable() const override;
    qint64 size() const override { return m_body.size(); }
    bool atEnd() const override { return m_position >= m_body.size(); }

protected:
    qint64 readData(char *data, qint64 maxSize) override;
    qint64 writeData(const char *, qint64) override { return -1; }

private:
    QByteArray m_body;
    qint64 m_position = 0;
};

} // namespace qalam
