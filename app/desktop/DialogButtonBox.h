// DialogButtonBox: a QDialogButtonBox whose standard buttons say Qalam's words, in Qalam's
// translation. Qt's Arabic catalogue (qtbase_ar) names them with imperatives: Cancel is "ألغِ",
// which in a button reads as a clipped "إلغاء", and under GNOME "أل&غِ" with a mnemonic that
// splits the word's shaping. Here Cancel is "إلغاء", Close "إغلاق", OK "موافق"…, without
// mnemonics; the buttons are sized by these texts (QPushButton's size hint follows setText) and
// carry no icon (Qt 6.4 misplaces the text of a right-to-left button that has one).
// QDialogButtonBox resets its standard buttons to the platform's texts on every LanguageChange;
// this one sets its own again right after.
#pragma once

#include <QDialogButtonBox>

namespace qalam {

class DialogButtonBox : public QDialogButtonBox
{
    Q_OBJECT

public:
    explicit DialogButtonBox(StandardButtons buttons, QWidget *parent = nullptr);

    // Qalam's text for a standard button; empty for one it has no word of its own for.
    static QString textFor(StandardButton button);

protected:
    bool event(QEvent *event) override;

private:
    void retranslate();
};

} // namespace qalam
